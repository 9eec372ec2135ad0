// Anchors the test target until FledgeEvents has its first tests; delete it then.
