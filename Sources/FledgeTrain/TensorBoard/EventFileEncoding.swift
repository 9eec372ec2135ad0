import Foundation

/// The bytes of TensorBoard event files, written by hand: a few protobuf fields of `Event` and
/// `Summary`, framed as TFRecords. Only what scalars need, so Fledge has no protobuf dependency.
///
/// `Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }`,
/// `Summary { repeated Value value = 1; }`, `Summary.Value { string tag = 1; float simple_value = 2; }`.
public enum EventFileEncoding {
    /// The first event of every file, which readers check for.
    public static func fileVersionEvent(wallTime: Double) -> [UInt8] {
        var event: [UInt8] = []
        appendDouble(field: 1, wallTime, to: &event)
        appendBytes(field: 3, Array("brain.Event:2".utf8), to: &event)
        return event
    }

    /// An event holding one scalar per (tag, value) at `step`.
    public static func scalarEvent(wallTime: Double, step: Int, scalars: [(tag: String, value: Float)]) -> [UInt8] {
        var summary: [UInt8] = []
        for scalar in scalars {
            var value: [UInt8] = []
            appendBytes(field: 1, Array(scalar.tag.utf8), to: &value)
            appendKey(field: 2, wireType: 5, to: &value)
            withUnsafeBytes(of: scalar.value.bitPattern.littleEndian) { value.append(contentsOf: $0) }
            appendBytes(field: 1, value, to: &summary)
        }
        var event: [UInt8] = []
        appendDouble(field: 1, wallTime, to: &event)
        appendKey(field: 2, wireType: 0, to: &event)
        appendVarint(UInt64(bitPattern: Int64(step)), to: &event)
        appendBytes(field: 5, summary, to: &event)
        return event
    }

    /// One TFRecord: length (UInt64 LE), masked CRC32C of the length, the data, masked CRC32C of the data.
    public static func record(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16)
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { out.append(contentsOf: $0) }
        let lengthCRC = maskedCRC32C(Array(out))
        withUnsafeBytes(of: lengthCRC.littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: data)
        withUnsafeBytes(of: maskedCRC32C(data).littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// CRC32C (Castagnoli), as TFRecord uses.
    public static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0x82F6_3B78 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// TFRecord's masking, so a CRC of CRCs is not trivially zero.
    public static func maskedCRC32C(_ bytes: [UInt8]) -> UInt32 {
        let crc = crc32c(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    private static func appendKey(field: Int, wireType: Int, to out: inout [UInt8]) {
        appendVarint(UInt64(field << 3 | wireType), to: &out)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    private static func appendDouble(field: Int, _ value: Double, to out: inout [UInt8]) {
        appendKey(field: field, wireType: 1, to: &out)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func appendBytes(field: Int, _ bytes: [UInt8], to out: inout [UInt8]) {
        appendKey(field: field, wireType: 2, to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }
}
