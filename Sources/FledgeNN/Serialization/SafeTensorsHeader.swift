import Foundation

/// The parsed and validated JSON header of a safetensors file.
struct SafeTensorsHeader {
    /// One tensor's header entry.
    struct Entry {
        let name: String
        let dtype: SafeTensorsDType
        let shape: [Int]
        let elementCount: Int
        let begin: Int
        let end: Int
    }

    var entries: [Entry] = []
    var metadata: [String: String] = [:]

    /// Parses `json`, throwing `SafeTensorsError.invalidHeader` (or `.unsupportedDType`) for anything malformed.
    init(json: Data) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [])
        } catch {
            throw SafeTensorsError.invalidHeader(reason: "not valid JSON (\(json.count) bytes)")
        }
        guard let root = object as? [String: Any] else {
            throw SafeTensorsError.invalidHeader(reason: "the header is not a JSON object")
        }
        for (name, value) in root {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafeTensorsError.invalidHeader(reason: "__metadata__ is not an object")
                }
                for (key, item) in map {
                    guard let string = item as? String else {
                        throw SafeTensorsError.invalidHeader(reason: "__metadata__ value for '\(key)' is not a string")
                    }
                    metadata[key] = string
                }
                continue
            }
            entries.append(try Self.entry(named: name, value))
        }
    }

    private static func entry(named name: String, _ value: Any) throws -> Entry {
        func invalid(_ reason: String) -> SafeTensorsError { .invalidHeader(reason: "tensor '\(name)': \(reason)") }
        guard let fields = value as? [String: Any] else { throw invalid("entry is not an object") }
        guard let dtypeName = fields["dtype"] as? String else { throw invalid("missing or non-string dtype") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError.unsupportedDType(key: name, dtype: dtypeName)
        }
        guard let shapeValues = fields["shape"] as? [Any] else { throw invalid("missing or non-array shape") }
        var shape: [Int] = []
        var elementCount = 1
        for item in shapeValues {
            guard let dimension = integer(item), dimension >= 0 else {
                throw invalid("shape \(shapeValues) holds something other than non-negative integers")
            }
            let product = elementCount.multipliedReportingOverflow(by: dimension)
            guard !product.overflow else { throw invalid("shape \(shapeValues) is too large") }
            elementCount = product.partialValue
            shape.append(dimension)
        }
        guard let offsets = fields["data_offsets"] as? [Any], offsets.count == 2,
              let begin = integer(offsets[0]), let end = integer(offsets[1]), begin >= 0, end >= 0 else {
            throw invalid("data_offsets must be two non-negative integers")
        }
        return Entry(name: name, dtype: dtype, shape: shape, elementCount: elementCount, begin: begin, end: end)
    }

    /// An exact integer from a JSON number (fractions and out-of-range values are rejected; Foundation
    /// on Linux cannot tell `true` from `1`, which is harmless here).
    private static func integer(_ value: Any) -> Int? {
        guard let integer = value as? Int, integer > -(1 << 62), integer < 1 << 62 else { return nil }
        return integer
    }
}

/// The element types Fledge reads; everything is converted to Float32.
enum SafeTensorsDType: String {
    case f32 = "F32", f64 = "F64", f16 = "F16", bf16 = "BF16"
    /// Integer tensors appear in PyTorch state dicts (BatchNorm's `num_batches_tracked`).
    case i64 = "I64", i32 = "I32"

    var byteSize: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16: 2
        }
    }

    /// Decodes little-endian elements of this type from `bytes` into `out`.
    func convert(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .f32:
            for index in 0..<out.count {
                out[index] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            }
        case .f64:
            for index in 0..<out.count {
                out[index] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))))
            }
        case .bf16:
            for index in 0..<out.count {
                let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                out[index] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .i64:
            for index in 0..<out.count {
                out[index] = Float(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)))
            }
        case .i32:
            for index in 0..<out.count {
                out[index] = Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
            }
        case .f16:
            for index in 0..<out.count {
                out[index] = Self.halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
            }
        }
    }

    /// IEEE binary16 to Float32, including subnormals, infinities and NaN (portable: no Float16 type needed).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
