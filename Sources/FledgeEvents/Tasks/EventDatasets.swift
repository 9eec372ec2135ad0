import FledgeData
import FledgeMetrics
import FledgeTensor
import FledgeTrain

/// The steps training, testing and prediction share: opening the store, turning labelled
/// samples into a dataset, choosing metrics.
public enum EventDatasets {
    /// Loads the config's sources, dropping (and counting) events before `data_start_date`.
    public static func openStore(_ config: EventsConfig, readers: EventTableReaders = .standard) throws -> EventStore {
        let dataStart = try config.dataParams.dataStartDate.map { text -> Int64 in
            guard let value = try TimestampParser(format: "iso8601").parse(text) else {
                throw EventsError.invalidSetup("data_params.data_start_date: '\(text)' is not a date; write it as 2024-01-01")
            }
            return value
        }
        var sources = config.dataSources
        if let chunks = config.dataParams.numQueryChunks {
            for index in sources.indices { sources[index].numQueryChunks = chunks }
        }
        return try EventStore.load(sources, readers: readers,
                                   options: EventStoreOptions(dataStart: dataStart, maxCategories: config.dataParams.maxCategories))
    }

    /// The features (standardised with `scaler`) and encoded targets of labelled samples; the
    /// `ids` are the entity ids. Nil when nothing is left.
    public static func dataset(_ labeled: LabeledSamples, extractor: FeatureExtractor, scaler: FeatureScaler,
                               task: any EventTask) throws -> TabularDataset? {
        try dataset(labeled, store: extractor.store, task: task) { samples in
            var features = extractor.features(samples)
            scaler.apply(to: &features)
            return features
        }
    }

    /// The model inputs `inputs(samples)` (e.g. a foundation model's features ⊕ sketches) and
    /// encoded targets of labelled samples; the `ids` are the entity ids. Nil when nothing is left.
    public static func dataset(_ labeled: LabeledSamples, store: EventStore, task: any EventTask,
                               inputs: ([SplitSample]) -> Tensor) throws -> TabularDataset? {
        let (targets, kept) = try task.encode(labeled.targets)
        guard !kept.isEmpty else { return nil }
        let samples = kept.map { labeled.samples[$0] }
        return TabularDataset(features: inputs(samples), targets: targets, ids: samples.map { store.entityIDs[$0.entity] })
    }

    /// The Trainer's data: the datasets of training, validation and (when the dates set one) test,
    /// built by `dataset`. An empty training split throws with `emptyTraining` as its reason.
    static func trainingData(task: any EventTask, emptyTraining: String,
                             dataset: (TargetContext.Split) throws -> TabularDataset?) throws -> TrainingData {
        guard let train = try dataset(.train) else {
            throw EventsError.noSamples(split: "training", reason: emptyTraining)
        }
        guard let validation = try dataset(.validation) else {
            throw EventsError.noSamples(split: "validation", reason: "no entity has history before validation_start_date and a target")
        }
        return TrainingData(train: train, validation: validation, test: try dataset(.test),
                            classNames: task.kind == .multiclass ? task.outputNames : [])
    }

    /// The metrics of `task`: `names` if given, else the task's defaults. Recommendation defaults
    /// to the ranking metrics at `top_k` (precision, recall, hit rate, MAP, MRR, NDCG); multiclass
    /// adds the recall of each class (`recall_class_<i>`, `i` indexing `outputNames`).
    public static func metrics(_ names: [String]?, task: any EventTask, topK: Int) throws -> [any Metric] {
        let metricTask = task.kind.trainerTask.metricTask
        let count = task.kind == .binary ? 2 : task.outputSize
        if let names {
            return try names.map { try MetricFactory.make(name: $0, task: metricTask, classCount: count) }
        }
        if task.kind == .recommendation {
            let ranking = ["precision@\(topK)", "recall@\(topK)", "hit_rate@\(topK)", "map@\(topK)", "mrr", "ndcg@\(topK)"]
            let available = ranking.compactMap { try? MetricFactory.make(name: $0, task: metricTask, classCount: count) }
            if !available.isEmpty { return available }
            return try ["f1_micro", "auroc"].map { try MetricFactory.make(name: $0, task: metricTask, classCount: count) }
        }
        var defaults = task.kind.trainerTask.defaultMetrics
        if task.kind == .multiclass { defaults += MetricFactory.perClassNames(.recall, classCount: count) }
        return try defaults.map { try MetricFactory.make(name: $0, task: metricTask, classCount: count) }
    }
}
