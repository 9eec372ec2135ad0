import Dispatch
import FledgeTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entity at one split point: history before `splitTimestamp` is the input.
public struct SplitSample: Sendable, Equatable, Codable {
    /// The entity's index in the store.
    public let entity: Int
    /// The split point (seconds since 1970).
    public let splitTimestamp: Int64

    /// Creates a sample.
    public init(entity: Int, splitTimestamp: Int64) {
        self.entity = entity
        self.splitTimestamp = splitTimestamp
    }
}

/// Computes a `FeatureLayout`'s features for samples of one store, from history only.
///
/// Only rows with `dataStart <= time < splitTimestamp` are read (two binary searches per sample),
/// so nothing at or after the split point can reach a feature. Counts become `log(1 + x)`, sums
/// `sign(x) log(1 + |x|)` and durations `log(1 + days)`; standardisation happens afterwards
/// (`FeatureScaler`, fitted on the training rows).
public struct FeatureExtractor: Sendable {
    /// The layout computed.
    public let layout: FeatureLayout
    /// The store read.
    public let store: EventStore
    /// The first moment of history.
    public let dataStart: Int64
    private let decimals: [[Float]]
    /// Per categorical column: store code → value position in the layout (-1 = unknown).
    private let categoricalMaps: [(codes: [Int32], positions: [Int])]
    /// Per id column: store code → sketch bucket.
    private let idMaps: [(codes: [Int32], buckets: [Int])]
    private let attributeValues: [[Float]]
    private let attributeCategoricalMaps: [(codes: [Int32], positions: [Int])]
    private let attributeTimes: [[Int64]]
    /// Item history: store code of the item column → item position (-1 = not scored), and the
    /// counted-event filter (store code of the event column → counts), nil when every event counts.
    private let itemHistoryMap: (codes: [Int32], positions: [Int], filter: (codes: [Int32], counts: [Bool])?)?

    /// Binds `layout` to `store`. Columns the layout names but the store lacks count as missing.
    public init(layout: FeatureLayout, store: EventStore, dataStart: Int64) {
        self.layout = layout
        self.store = store
        self.dataStart = dataStart
        func codes(_ column: StoredColumn?) -> ([Int32], [String]) {
            switch column?.values {
            case .categorical(let codes, let vocabulary)?, .id(let codes, let vocabulary)?: (codes, vocabulary)
            default: ([Int32](repeating: -1, count: store.eventCount), [])
            }
        }
        func positions(_ vocabulary: [String], in values: [String]) -> [Int] {
            let index = Dictionary(values.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return vocabulary.map { index[$0] ?? -1 }
        }
        decimals = layout.decimalColumns.map { name in
            if case .decimal(let values, _)? = store.column(named: name)?.values { return values }
            return [Float](repeating: .nan, count: store.eventCount)
        }
        categoricalMaps = layout.categoricalColumns.map { column in
            let (codes, vocabulary) = codes(store.column(named: column.name))
            return (codes, positions(vocabulary, in: column.values))
        }
        idMaps = layout.idColumns.map { name in
            let (codes, vocabulary) = codes(store.column(named: name))
            return (codes, vocabulary.map { FeatureHashing.bucket(of: $0, width: layout.sketchWidth) })
        }
        let attributes = store.attributes
        attributeValues = layout.attributeDecimals.map { column in
            if case .decimal(let values, _)? = attributes?.column(named: column.name)?.values { return values }
            return [Float](repeating: .nan, count: store.entityCount)
        }
        attributeCategoricalMaps = layout.attributeCategoricals.map { column in
            switch attributes?.column(named: column.name)?.values {
            case .categorical(let codes, let vocabulary)?: return (codes, positions(vocabulary, in: column.values))
            default: return ([Int32](repeating: -1, count: store.entityCount), [])
            }
        }
        itemHistoryMap = layout.itemHistory.map { history in
            let (itemCodes, vocabulary) = codes(store.column(named: history.column))
            var filter: (codes: [Int32], counts: [Bool])?
            if let column = history.eventColumn, let events = history.events, !events.isEmpty {
                let (eventCodes, eventVocabulary) = codes(store.column(named: column))
                let counted = Set(events)
                filter = (eventCodes, eventVocabulary.map(counted.contains))
            }
            return (itemCodes, positions(vocabulary, in: history.items), filter)
        }
        attributeTimes = layout.attributeTimestamps.map { name in
            if case .timestamp(let values)? = attributes?.column(named: name)?.values { return values }
            return [Int64](repeating: Int64.min, count: store.entityCount)
        }
    }

    /// The features of `samples` as `[samples.count, layout.count]`, computed in parallel.
    public func features(_ samples: [SplitSample]) -> Tensor {
        var result = Tensor(uninitializedShape: [samples.count, layout.count])
        guard !samples.isEmpty else { return result }
        result.withUnsafeMutableBufferPointer { write(samples, to: $0.baseAddress!, rowStride: layout.count) }
        return result
    }

    /// Writes the features of `samples` into the first `layout.count` values of rows `rowStride`
    /// apart from `output` (row `i` at `output + i * rowStride`), in parallel; the rest of each row
    /// is left alone, so a wider matrix (a foundation model's inputs) is filled without a copy.
    func write(_ samples: [SplitSample], to output: UnsafeMutablePointer<Float>, rowStride: Int) {
        let width = layout.count
        precondition(rowStride >= width, "FeatureExtractor.write: rows of \(rowStride) values cannot hold \(width) features")
        guard !samples.isEmpty else { return }
        let output = SendablePointer(base: output)
        let chunks = min(samples.count, max(1, Threading.threadCount) * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (samples.count * chunk / chunks)..<(samples.count * (chunk + 1) / chunks)
            var row = [Float](repeating: 0, count: width)
            for index in range {
                fill(&row, samples[index])
                (output.base + index * rowStride).update(from: row, count: width)
            }
        }
    }

    /// The features of one sample.
    public func features(_ sample: SplitSample) -> [Float] {
        var row = [Float](repeating: 0, count: layout.count)
        fill(&row, sample)
        return row
    }

    private func fill(_ out: inout [Float], _ sample: SplitSample) {
        for index in out.indices { out[index] = 0 }
        let t = sample.splitTimestamp
        let start = store.firstRow(ofEntity: sample.entity, atOrAfter: dataStart)
        let end = store.firstRow(ofEntity: sample.entity, atOrAfter: t)
        let times = store.timestamps
        let windows = layout.windowDays.map(Double.init) + [Double.infinity]
        let span = Double(t - dataStart) / 86_400 + 1
        var position = 0
        // Counts and decimal sums per window.
        let countBase = position
        let sumBase = countBase + windows.count
        position = sumBase + decimals.count * windows.count
        for row in start..<end {
            let age = Double(t - times[row]) / 86_400
            for (w, window) in windows.enumerated() where age < window {
                out[countBase + w] += 1
                for (d, values) in decimals.enumerated() where !values[row].isNaN {
                    out[sumBase + d * windows.count + w] += values[row]
                }
            }
        }
        for w in 0..<windows.count { out[countBase + w] = log1pf(out[countBase + w]) }
        for index in sumBase..<position { out[index] = Self.signedLog(out[index]) }
        out[position] = log1pf(Float(end > start ? Double(t - times[end - 1]) / 86_400 : span))
        out[position + 1] = log1pf(Float(end > start ? Double(t - times[start]) / 86_400 : 0))
        position += 2
        // Per category value: count over all history and the recent window, recency, decayed counts.
        let recent = Double(layout.windowDays.dropFirst().first ?? layout.windowDays.first ?? 30)
        let halfLives = layout.recencyHalfLives
        let perValue = 3 + halfLives.count
        for (c, map) in categoricalMaps.enumerated() {
            let values = layout.categoricalColumns[c].values.count
            for v in 0..<values { out[position + v * perValue + 2] = Float(span) }
            for row in start..<end {
                let code = map.codes[row]
                guard code >= 0 else { continue }
                let v = map.positions[Int(code)]
                guard v >= 0 else { continue }
                let base = position + v * perValue
                let age = Double(t - times[row]) / 86_400
                out[base] += 1
                if age < recent { out[base + 1] += 1 }
                out[base + 2] = Float(age)
                for (h, halfLife) in halfLives.enumerated() { out[base + 3 + h] += Float(exp2(-age / halfLife)) }
            }
            for v in 0..<values {
                let base = position + v * perValue
                out[base] = log1pf(out[base])
                out[base + 1] = log1pf(out[base + 1])
                out[base + 2] = log1pf(out[base + 2])
            }
            position += values * perValue
        }
        // Hashed sketches of id columns, plain and time-decayed.
        let width = layout.sketchWidth
        for map in idMaps {
            for row in start..<end {
                let code = map.codes[row]
                guard code >= 0 else { continue }
                let bucket = map.buckets[Int(code)]
                out[position + bucket] += 1
                let age = Double(t - times[row]) / 86_400
                for (h, halfLife) in halfLives.enumerated() {
                    out[position + (h + 1) * width + bucket] += Float(exp2(-age / halfLife))
                }
            }
            for index in position..<(position + width) { out[index] = log1pf(out[index]) }
            position += width * (1 + halfLives.count)
        }
        position = TimeEncodingFeatures.write(layout.timeEncoding, timestamp: t, into: &out, at: position)
        let entity = sample.entity
        for (a, values) in attributeValues.enumerated() {
            let value = values[entity]
            if value.isNaN {
                out[position + 1] = 1
            } else {
                out[position] = Float(layout.attributeDecimals[a].normalization.apply(Double(value)))
            }
            position += 2
        }
        for (a, map) in attributeCategoricalMaps.enumerated() {
            let code = map.codes[entity]
            if code >= 0, map.positions[Int(code)] >= 0 { out[position + map.positions[Int(code)]] = 1 }
            position += layout.attributeCategoricals[a].values.count
        }
        for times in attributeTimes {
            let time = times[entity]
            // A date after the split point (not yet known then) reads as 0, like a missing one.
            if time != Int64.min && time <= t { out[position] = log1pf(Float(Double(t - time) / 86_400)) }
            position += 1
        }
        // Per scored item: its count among the counted history events, plain and time-decayed.
        if let map = itemHistoryMap, let items = layout.itemHistory?.items.count {
            for row in start..<end {
                let code = map.codes[row]
                guard code >= 0 else { continue }
                if let filter = map.filter {
                    let kind = filter.codes[row]
                    guard kind >= 0, filter.counts[Int(kind)] else { continue }
                }
                let item = map.positions[Int(code)]
                guard item >= 0 else { continue }
                out[position + item] += 1
                let age = Double(t - times[row]) / 86_400
                for (h, halfLife) in halfLives.enumerated() {
                    out[position + (h + 1) * items + item] += Float(exp2(-age / halfLife))
                }
            }
            for index in position..<(position + items) { out[index] = log1pf(out[index]) }
            position += items * (1 + halfLives.count)
        }
        assert(position == out.count, "FeatureExtractor: wrote \(position) of \(out.count) features")
    }

    @inline(__always)
    static func signedLog(_ x: Float) -> Float { x < 0 ? -log1pf(-x) : log1pf(x) }
}

/// A pointer handed to `concurrentPerform` workers that write disjoint rows.
struct SendablePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// Stable hashing of id values into sketch buckets (FNV-1a of the UTF-8 bytes), so the same
/// value lands in the same bucket in every run and on new data.
enum FeatureHashing {
    static func bucket(of value: String, width: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(max(width, 1)))
    }
}
