import FledgeTensor
import Foundation

/// The benchmark's classification data: 100k rows, 10 classes, split 80/20, standardised on the
/// training part — the same sizes as `../shared/peers/peer_data.py`.
///
/// With `--data DIR` the bit-identical arrays that `peer_data.py --export --outdir DIR` writes are
/// read instead; otherwise a make_classification-style generator (Gaussian clusters around
/// hypercube vertices in the informative features, redundant features as linear mixes, noise
/// features, 1% flipped labels) makes data of the same shape and difficulty class.
struct BenchmarkData {
    var trainFeatures: [Float]
    var trainLabels: [Int]
    var validationFeatures: [Float]
    var validationLabels: [Int]
    let featureCount: Int

    static let classCount = 10

    var trainCount: Int { trainLabels.count }
    var validationCount: Int { validationLabels.count }

    enum LoadError: Error, CustomStringConvertible {
        case missingFile(String)
        case wrongSize(String, expected: Int, found: Int)

        var description: String {
            switch self {
            case .missingFile(let path):
                "\(path) not found: write it with `python peer_data.py --export --outdir DIR` or omit --data"
            case .wrongSize(let path, let expected, let found):
                "\(path): expected \(expected) bytes, found \(found)"
            }
        }
    }

    /// Reads `synthetic_<variant>_{X_train,y_train,X_val,y_val}.bin` from `directory`.
    static func load(variant: String, featureCount: Int, directory: String) throws -> BenchmarkData {
        func read(_ name: String, elementCount: Int?) throws -> Data {
            let path = "\(directory)/synthetic_\(variant)_\(name).bin"
            guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.missingFile(path) }
            if let elementCount, data.count != elementCount * 4 {
                throw LoadError.wrongSize(path, expected: elementCount * 4, found: data.count)
            }
            return data
        }
        func floats(_ data: Data) -> [Float] {
            data.withUnsafeBytes { raw in (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        }
        func ints(_ data: Data) -> [Int] {
            data.withUnsafeBytes { raw in (0..<data.count / 4).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) } }
        }
        let yTrain = ints(try read("y_train", elementCount: nil))
        let yVal = ints(try read("y_val", elementCount: nil))
        return BenchmarkData(
            trainFeatures: floats(try read("X_train", elementCount: yTrain.count * featureCount)),
            trainLabels: yTrain,
            validationFeatures: floats(try read("X_val", elementCount: yVal.count * featureCount)),
            validationLabels: yVal,
            featureCount: featureCount)
    }

    /// Generates data shaped like make_classification(n_informative, n_redundant, 2 clusters per class).
    static func generate(featureCount: Int, informative: Int, redundant: Int, rows: Int = 100_000, seed: UInt64 = 42) -> BenchmarkData {
        var generator = SeededGenerator(seed: seed)
        let clusters = classCount * 2
        // Cluster centroids at random hypercube vertices scaled by class_sep = 1.
        let centroids: [[Float]] = (0..<clusters).map { _ in
            (0..<informative).map { _ in generator.nextUniform() < 0.5 ? -1 : 1 }
        }
        let mixing: [[Float]] = (0..<redundant).map { _ in (0..<informative).map { _ in 2 * generator.nextUniform() - 1 } }
        var features = [Float](repeating: 0, count: rows * featureCount)
        var labels = [Int](repeating: 0, count: rows)
        for row in 0..<rows {
            let cluster = row % clusters
            var label = cluster % classCount
            if generator.nextUniform() < 0.01 { label = Int(generator.next() % UInt64(classCount)) }
            labels[row] = label
            let base = row * featureCount
            for column in 0..<informative {
                features[base + column] = centroids[cluster][column] + generator.nextNormal()
            }
            for column in 0..<redundant {
                var value: Float = 0
                for source in 0..<informative { value += mixing[column][source] * features[base + source] }
                features[base + informative + column] = value
            }
            for column in (informative + redundant)..<featureCount { features[base + column] = generator.nextNormal() }
        }
        // Shuffle rows, split 80/20, standardise with training statistics.
        var order = Array(0..<rows)
        order.shuffle(using: &generator)
        let trainRows = rows * 4 / 5
        func take(_ indices: ArraySlice<Int>) -> ([Float], [Int]) {
            var x = [Float](); x.reserveCapacity(indices.count * featureCount)
            var y = [Int](); y.reserveCapacity(indices.count)
            for index in indices {
                x.append(contentsOf: features[(index * featureCount)..<((index + 1) * featureCount)])
                y.append(labels[index])
            }
            return (x, y)
        }
        var (xTrain, yTrain) = take(order[..<trainRows])
        var (xVal, yVal) = take(order[trainRows...])
        standardise(&xTrain, &xVal, featureCount: featureCount)
        return BenchmarkData(trainFeatures: xTrain, trainLabels: yTrain, validationFeatures: xVal,
                             validationLabels: yVal, featureCount: featureCount)
    }

    private static func standardise(_ train: inout [Float], _ validation: inout [Float], featureCount: Int) {
        let rows = train.count / featureCount
        for column in 0..<featureCount {
            var mean = 0.0, square = 0.0
            for row in 0..<rows { let v = Double(train[row * featureCount + column]); mean += v; square += v * v }
            mean /= Double(rows)
            let deviation = Swift.max((square / Double(rows) - mean * mean).squareRoot(), 1e-12)
            for row in 0..<rows { train[row * featureCount + column] = Float((Double(train[row * featureCount + column]) - mean) / deviation) }
            for row in 0..<(validation.count / featureCount) {
                validation[row * featureCount + column] = Float((Double(validation[row * featureCount + column]) - mean) / deviation)
            }
        }
    }
}
