import FledgeNN
import FledgeTensor
import Foundation

extension BehaviouralRepresentation {
    /// The description file: parameters, item vocabulary, bucket codes, half-lives.
    public static let descriptionFile = "representation.json"
    /// The embeddings, tensor `embeddings` of shape `[items, embeddingDimension]`.
    public static let embeddingsFile = "representation.safetensors"

    /// What `representation.json` holds.
    struct Description: Codable {
        var formatVersion: Int
        var itemColumn: String
        var items: [String]
        var embeddingDimension: Int
        var partitions: Int
        var buckets: Int
        var halfLivesDays: [Double]
        /// `items × partitions`, row-major.
        var bucketCodes: [Int32]
        var params: RepresentationParams
        var seed: UInt64
        var until: Int64
        var fittedEvents: Int
    }

    /// Writes `representation.json` and `representation.safetensors` into `directory` (created if needed).
    /// - Throws: `EventsError.invalidModel` naming the file that cannot be written.
    public func save(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EventsError.invalidModel(path: directory.path, reason: "cannot create the directory (\(error.localizedDescription))")
        }
        let description = Description(formatVersion: 1, itemColumn: itemColumn, items: items, embeddingDimension: embeddingDimension,
                                      partitions: partitions, buckets: buckets, halfLivesDays: halfLivesDays,
                                      bucketCodes: bucketCodes, params: params, seed: seed, until: until, fittedEvents: fittedEvents)
        let file = directory.appendingPathComponent(Self.descriptionFile)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(description).write(to: file, options: .atomic)
        } catch {
            throw EventsError.invalidModel(path: file.path, reason: "cannot be written (\(error.localizedDescription))")
        }
        let weights = directory.appendingPathComponent(Self.embeddingsFile)
        do {
            let tensor = Tensor(shape: [items.count, embeddingDimension], values: embeddings)
            try SafeTensors.write(["embeddings": tensor], metadata: ["format": "fledge-representation"], to: weights)
        } catch {
            throw EventsError.invalidModel(path: weights.path, reason: "cannot be written (\(error))")
        }
    }

    /// Reads a representation written by `save(to:)`.
    /// - Throws: `EventsError.invalidModel` naming the missing, unreadable or inconsistent file.
    public static func load(from directory: URL) throws -> BehaviouralRepresentation {
        let file = directory.appendingPathComponent(descriptionFile)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw EventsError.invalidModel(path: directory.path, reason: "no \(descriptionFile) here; pass the directory a representation "
                                           + "(or foundation checkpoint) was saved to")
        }
        let description: Description
        do {
            description = try JSONDecoder().decode(Description.self, from: Data(contentsOf: file))
        } catch {
            throw EventsError.invalidModel(path: file.path, reason: "cannot be read (\(error)); fit the representation again")
        }
        guard description.formatVersion == 1 else {
            throw EventsError.invalidModel(path: file.path, reason: "format version \(description.formatVersion) is not supported (this Fledge reads 1)")
        }
        let d = description
        guard d.partitions == d.params.sketchPartitions, d.buckets == d.params.sketchBuckets, d.halfLivesDays == d.params.halfLivesDays,
              d.embeddingDimension == d.params.embeddingDimension, d.bucketCodes.count == d.items.count * d.partitions,
              d.bucketCodes.allSatisfy({ $0 >= 0 && Int($0) < d.buckets }) else {
            throw EventsError.invalidModel(path: file.path, reason: "its sizes do not agree (items, partitions, buckets, bucket codes); "
                                           + "the file is damaged: fit the representation again")
        }
        let weights = directory.appendingPathComponent(embeddingsFile)
        let tensor: Tensor
        do {
            guard let read = try SafeTensors.read(from: weights)["embeddings"] else {
                throw EventsError.invalidModel(path: weights.path, reason: "holds no tensor named embeddings")
            }
            tensor = read
        } catch let error as EventsError {
            throw error
        } catch {
            throw EventsError.invalidModel(path: weights.path, reason: "cannot be read (\(error))")
        }
        guard tensor.shape.dimensions == [d.items.count, d.embeddingDimension] else {
            throw EventsError.invalidModel(path: weights.path, reason: "embeddings have shape \(tensor.shape) but \(descriptionFile) "
                                           + "describes \(d.items.count) items × \(d.embeddingDimension)")
        }
        return BehaviouralRepresentation(itemColumn: d.itemColumn, items: d.items, embeddingDimension: d.embeddingDimension,
                                         embeddings: tensor.scalars, bucketCodes: d.bucketCodes, params: d.params, seed: d.seed,
                                         until: d.until, fittedEvents: d.fittedEvents)
    }
}
