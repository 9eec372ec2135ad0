import Foundation

/// A problem with a safetensors file. Every malformed input maps to one of these; reading never traps.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// There is no file at the path.
    case fileNotFound(path: String)
    /// The file exists but could not be read or written.
    case ioFailure(path: String, reason: String)
    /// Fewer than the 8 bytes that hold the header length.
    case truncated(byteCount: Int)
    /// The header length points past the end of the file.
    case headerLengthBeyondFile(headerLength: UInt64, fileSize: Int)
    /// The header is not a JSON object of the expected form.
    case invalidHeader(reason: String)
    /// A tensor has a dtype Fledge cannot read.
    case unsupportedDType(key: String, dtype: String)
    /// A tensor's data offsets fall outside the data section or are reversed.
    case offsetsOutOfRange(key: String, begin: Int, end: Int, dataSize: Int)
    /// Two tensors' data overlap.
    case overlappingOffsets(first: String, second: String)
    /// A tensor's byte range does not hold exactly its shape's elements.
    case byteCountMismatch(key: String, shape: [Int], dtype: String, byteCount: Int)
    /// A tensor name that cannot be written (`__metadata__` is reserved).
    case invalidName(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "safetensors: no file at \(path)"
        case .ioFailure(let path, let reason):
            return "safetensors: cannot access \(path): \(reason)"
        case .truncated(let byteCount):
            return "safetensors: file is truncated (\(byteCount) bytes; the header length alone needs 8)"
        case .headerLengthBeyondFile(let headerLength, let fileSize):
            return "safetensors: header length \(headerLength) runs past the end of the file (\(fileSize) bytes); "
                + "the file is truncated or not a safetensors file"
        case .invalidHeader(let reason):
            return "safetensors: invalid header: \(reason)"
        case .unsupportedDType(let key, let dtype):
            return "safetensors: tensor '\(key)' has dtype \(dtype): \(dtype) is not supported; "
                + "Fledge reads F32 (and converts F64, F16, BF16, I64 and I32)"
        case .offsetsOutOfRange(let key, let begin, let end, let dataSize):
            return "safetensors: tensor '\(key)' has data_offsets [\(begin), \(end)] outside the data section "
                + "of \(dataSize) bytes"
        case .overlappingOffsets(let first, let second):
            return "safetensors: the data of tensors '\(first)' and '\(second)' overlap"
        case .byteCountMismatch(let key, let shape, let dtype, let byteCount):
            return "safetensors: tensor '\(key)' of shape \(shape) and dtype \(dtype) has \(byteCount) bytes of data, "
                + "which does not match its shape"
        case .invalidName(let name):
            return "safetensors: '\(name)' cannot be used as a tensor name"
        }
    }

    public var errorDescription: String? { description }
}
