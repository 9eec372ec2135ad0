import FledgeNN
import FledgeTensor
import Foundation
import Testing

/// Round trips, byte layout and every error of the safetensors reader.
struct SafeTensorsTests {
    let sample: [String: Tensor] = [
        "layers.0.weight": Tensor([[1.5, -2, 3], [0.25, 1e-30, -7e20]]),
        "layers.0.bias": Tensor([0.5, -0.5]),
        "scalar": Tensor(scalar: 42),
        "empty": Tensor(shape: [0, 3], values: []),
    ]

    @Test func roundTripKeepsEveryValueShapeAndMetadata() throws {
        let url = temporaryURL("roundtrip.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(sample, metadata: ["format": "pt", "note": "quote \" and \\ and é"], to: url)
        let (tensors, metadata) = try SafeTensors.readWithMetadata(from: url)
        #expect(metadata == ["format": "pt", "note": "quote \" and \\ and é"])
        #expect(Set(tensors.keys) == Set(sample.keys))
        for (name, tensor) in sample {
            #expect(tensors[name]!.shape == tensor.shape)
            #expect(tensors[name]!.scalars == tensor.scalars, "\(name)")
        }
    }

    @Test func headerIsPaddedSortedAndDataContiguous() throws {
        let data = try SafeTensors.encode(["b": Tensor([1, 2]), "a": Tensor([3])])
        let headerLength = Int(data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        #expect(headerLength % 8 == 0)
        let header = String(decoding: data[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.trimmingCharacters(in: .whitespaces)
            == #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#)
        #expect(data.count == 8 + headerLength + 12)
        let body = Array(data[(8 + headerLength)...])
        #expect(body == [0, 0, 0x40, 0x40, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])  // 3, 1, 2 little-endian
    }

    @Test func readsHalfDoubleAndBFloatByConverting() throws {
        // 1.5 as F16 = 0x3E00, -2 as BF16 = 0xC000, 0.1 as F64.
        let header = #"{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]},"d":{"dtype":"F64","shape":[1],"data_offsets":[4,12]}}"#
        var body: [UInt8] = [0x00, 0x3E, 0x00, 0xC0]
        withUnsafeBytes(of: (0.1 as Double).bitPattern.littleEndian) { body.append(contentsOf: $0) }
        let tensors = try SafeTensors.decode(file(header: header, body: body)).tensors
        #expect(tensors["h"]!.scalars == [1.5])
        #expect(tensors["b"]!.scalars == [-2])
        #expect(tensors["d"]!.scalars == [Float(0.1)])
    }

    // MARK: errors

    @Test func missingFileIsReported() {
        let url = temporaryURL("does-not-exist.safetensors")
        #expect(throws: SafeTensorsError.fileNotFound(path: url.path)) { try SafeTensors.read(from: url) }
    }

    @Test func unwritablePathAndReservedNameAreReported() {
        let url = temporaryURL("no-such-directory").appendingPathComponent("model.safetensors")
        #expect {
            try SafeTensors.write(["a": Tensor([1])], to: url)
        } throws: { error in
            guard case .ioFailure(let path, _) = error as? SafeTensorsError else { return false }
            return path == url.path
        }
        #expect(throws: SafeTensorsError.invalidName("__metadata__")) {
            try SafeTensors.encode(["__metadata__": Tensor([1])])
        }
    }

    @Test func truncatedFileIsReported() {
        #expect(throws: SafeTensorsError.truncated(byteCount: 3)) { try SafeTensors.decode(Data([1, 2, 3])) }
    }

    @Test func headerLengthBeyondFileIsReported() {
        var data = Data()
        withUnsafeBytes(of: UInt64(1000).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array("{}".utf8))
        #expect(throws: SafeTensorsError.headerLengthBeyondFile(headerLength: 1000, fileSize: 10)) {
            try SafeTensors.decode(data)
        }
        var huge = Data(repeating: 0xFF, count: 8)
        huge.append(contentsOf: [0, 0])
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(huge) }
    }

    @Test func invalidJSONIsReported() {
        expectInvalidHeader(#"{"a": {"dtype": "F32", "#)
        expectInvalidHeader(#"[1, 2, 3]"#)
        expectInvalidHeader(#"{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}"#)
        expectInvalidHeader(#"{"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#)
        expectInvalidHeader(#"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}"#)
        expectInvalidHeader(#"{"a": {"shape": [1], "data_offsets": [0, 4]}}"#)
        expectInvalidHeader(#"{"__metadata__": {"a": 1}}"#)
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(file(headerBytes: [0xFF, 0xFE, 0x7B], body: [])) }
    }

    @Test func unsupportedDTypeIsNamed() {
        let header = #"{"flags":{"dtype":"BOOL","shape":[8],"data_offsets":[0,8]}}"#
        #expect(throws: SafeTensorsError.unsupportedDType(key: "flags", dtype: "BOOL")) {
            try SafeTensors.decode(file(header: header, body: Array(repeating: 0, count: 8)))
        }
        #expect(SafeTensorsError.unsupportedDType(key: "x", dtype: "U8").description.contains("U8 is not supported; Fledge reads F32"))
    }

    @Test func offsetsOutOfRangeAreReported() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(throws: SafeTensorsError.offsetsOutOfRange(key: "a", begin: 0, end: 8, dataSize: 4)) {
            try SafeTensors.decode(file(header: header, body: [0, 0, 0, 0]))
        }
        let reversed = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#
        #expect(throws: SafeTensorsError.offsetsOutOfRange(key: "a", begin: 4, end: 0, dataSize: 8)) {
            try SafeTensors.decode(file(header: reversed, body: Array(repeating: 0, count: 8)))
        }
    }

    @Test func overlappingOffsetsAreReported() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(throws: SafeTensorsError.overlappingOffsets(first: "a", second: "b")) {
            try SafeTensors.decode(file(header: header, body: Array(repeating: 0, count: 12)))
        }
    }

    @Test func shapeByteCountMismatchIsReported() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(throws: SafeTensorsError.byteCountMismatch(key: "a", shape: [3], dtype: "F32", byteCount: 8)) {
            try SafeTensors.decode(file(header: header, body: Array(repeating: 0, count: 8)))
        }
    }

    @Test func corruptedBytesNeverCrashTheReader() throws {
        let valid = try SafeTensors.encode(sample, metadata: ["k": "v"])
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            var bytes = [UInt8](valid)
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            let cut = generator.next() % 4 == 0 ? Int(generator.next() % UInt64(bytes.count)) : bytes.count
            _ = try? SafeTensors.decode(Data(bytes.prefix(cut)))
        }
    }

    // MARK: helpers

    private func expectInvalidHeader(_ header: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SafeTensors.decode(file(header: header, body: Array(repeating: 0, count: 8)))
            Issue.record("accepted header \(header)", sourceLocation: sourceLocation)
        } catch let error as SafeTensorsError {
            guard case .invalidHeader = error else {
                Issue.record("header \(header) gave \(error)", sourceLocation: sourceLocation)
                return
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    private func file(header: String, body: [UInt8]) -> Data { file(headerBytes: Array(header.utf8), body: body) }

    private func file(headerBytes: [UInt8], body: [UInt8]) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        data.append(contentsOf: body)
        return data
    }
}

/// A unique path in the temporary directory.
func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("fledge-\(UUID().uuidString)-\(name)")
}
