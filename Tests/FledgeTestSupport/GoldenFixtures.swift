import FledgeTensor
import Foundation

/// One tensor in a golden fixture file.
public struct GoldenTensor: Decodable, Sendable {
    public let shape: [Int]
    public let values: [Float]

    /// As a Fledge tensor.
    public var tensor: Tensor { Tensor(shape: Shape(shape), values: values) }
    /// The values as integer indices (class targets, gather indices).
    public var indices: [Int] { values.map { Int($0) } }
}

/// A scalar, string, boolean or list attribute of a golden case (e.g. `"axis": 1`).
public enum GoldenAttribute: Decodable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case numbers([Double])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else { self = .numbers(try container.decode([Double].self)) }
    }

    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var numbers: [Double]? { if case .numbers(let value) = self { value } else { nil } }
}

/// One case: what PyTorch was given and what it computed.
public struct GoldenCase: Decodable, Sendable {
    public let name: String
    public let attributes: [String: GoldenAttribute]
    public let inputs: [String: GoldenTensor]
    public let outputs: [String: GoldenTensor]

    public func input(_ key: String) -> GoldenTensor {
        guard let tensor = inputs[key] else { fatalError("golden case \(name) has no input '\(key)'") }
        return tensor
    }

    public func output(_ key: String) -> GoldenTensor {
        guard let tensor = outputs[key] else { fatalError("golden case \(name) has no output '\(key)'") }
        return tensor
    }
}

/// A fixture file written by `scripts/reference/*.py`.
public struct GoldenFile: Decodable, Sendable {
    public let generator: String
    public let torchVersion: String
    public let cases: [GoldenCase]

    enum CodingKeys: String, CodingKey {
        case generator, cases
        case torchVersion = "torch_version"
    }

    /// Loads `Tests/Fixtures/golden/<name>.json`.
    public static func load(_ name: String) throws -> GoldenFile {
        let url = fixturesDirectory.appendingPathComponent("golden/\(name).json")
        return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
    }

    /// The cases whose name starts with `prefix`.
    public func cases(prefixed prefix: String) -> [GoldenCase] { cases.filter { $0.name.hasPrefix(prefix) } }
}

/// `Tests/Fixtures`, found from this source file so tests run from any working directory.
public let fixturesDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
