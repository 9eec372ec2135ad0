// FledgeEvents: event sources, entity histories, temporal splits, target functions, sketches and
// foundation models (DESIGN.md §1). This file only anchors the target until its first real sources land;
// delete it then.
