import FledgeTensor
import Foundation

/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors):
/// an 8-byte little-endian header length, a JSON header, then the raw little-endian data.
///
/// Files are written the way the reference implementation writes them (compact JSON,
/// `__metadata__` first, tensors sorted by name and stored contiguously in that order, header
/// padded with spaces to a multiple of 8 bytes), so they load with Python's `safetensors`
/// package and the bytes match its output. Reading validates every field and throws
/// `SafeTensorsError` on malformed input instead of trapping.
public enum SafeTensors {
    /// Writes `tensors` (and optional string metadata) to `url`, replacing any file there atomically.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let data = try encode(tensors, metadata: metadata)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw SafeTensorsError.ioFailure(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Reads every tensor in the file at `url`.
    public static func read(from url: URL) throws -> [String: Tensor] {
        try readWithMetadata(from: url).tensors
    }

    /// Reads every tensor and the `__metadata__` string map in the file at `url`.
    public static func readWithMetadata(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SafeTensorsError.fileNotFound(path: url.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SafeTensorsError.ioFailure(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data)
    }

    /// The bytes of a safetensors file holding `tensors` and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        if tensors["__metadata__"] != nil { throw SafeTensorsError.invalidName("__metadata__") }
        let names = tensors.keys.sorted()
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { jsonString($0) + ":" + jsonString(metadata[$0]!) }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + tensor.count * MemoryLayout<Float>.size
            let shape = tensor.shape.dimensions.map(String.init).joined(separator: ",")
            entries.append(jsonString(name) + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        // The reference writer pads with spaces so the data starts 8-byte aligned.
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { values in
                #if _endian(little)
                data.append(contentsOf: UnsafeRawBufferPointer(values))
                #else
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
                #endif
            }
        }
        return data
    }

    /// Parses the bytes of a safetensors file.
    public static func decode(_ data: Data) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard data.count >= 8 else { throw SafeTensorsError.truncated(byteCount: data.count) }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw SafeTensorsError.headerLengthBeyondFile(headerLength: headerLength, fileSize: data.count)
        }
        let headerStart = data.startIndex + 8
        let dataStart = headerStart + Int(headerLength)
        let header = try SafeTensorsHeader(json: data[headerStart..<dataStart])
        let dataSize = data.count - 8 - Int(headerLength)

        // Check offsets against the data section and against each other before reading anything.
        let byOffset = header.entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var previous: SafeTensorsHeader.Entry? = nil
        for entry in byOffset {
            guard entry.begin <= entry.end, entry.end <= dataSize else {
                throw SafeTensorsError.offsetsOutOfRange(key: entry.name, begin: entry.begin, end: entry.end, dataSize: dataSize)
            }
            let expectedBytes = entry.elementCount.multipliedReportingOverflow(by: entry.dtype.byteSize)
            guard !expectedBytes.overflow, expectedBytes.partialValue == entry.end - entry.begin else {
                throw SafeTensorsError.byteCountMismatch(key: entry.name, shape: entry.shape,
                                                         dtype: entry.dtype.rawValue, byteCount: entry.end - entry.begin)
            }
            if let previous, entry.begin < previous.end, entry.end > entry.begin {
                throw SafeTensorsError.overlappingOffsets(first: previous.name, second: entry.name)
            }
            if entry.end > entry.begin { previous = entry }
        }

        var tensors: [String: Tensor] = [:]
        data.withUnsafeBytes { raw in
            let body = UnsafeRawBufferPointer(rebasing: raw[(dataStart - data.startIndex)...])
            for entry in header.entries {
                var tensor = Tensor(uninitializedShape: Shape(entry.shape))
                tensor.withUnsafeMutableBufferPointer { out in
                    entry.dtype.convert(UnsafeRawBufferPointer(rebasing: body[entry.begin..<entry.end]), into: out)
                }
                tensors[entry.name] = tensor
            }
        }
        return (tensors, header.metadata)
    }

    /// `value` as a JSON string literal.
    private static func jsonString(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
