import PostgresNIO

/// A result column's name and type, as ``PostgresSession/describe(_:_:)`` reports it.
public struct PostgresColumn: Sendable, Equatable {
    /// The column name.
    public var name: String
    /// What its values convert to.
    public var type: PostgresColumnType

    /// A column.
    public init(name: String, type: PostgresColumnType) {
        self.name = name
        self.type = type
    }
}

/// The families of PostgreSQL column types, by the ``PostgresValue`` their values read as.
public enum PostgresColumnType: Sendable, Equatable {
    /// `smallint`, `integer`, `bigint`: ``PostgresValue/int(_:)``.
    case integer
    /// `real`, `double precision`, `numeric`: ``PostgresValue/double(_:)``.
    case floatingPoint
    /// `boolean`: ``PostgresValue/bool(_:)``.
    case boolean
    /// `text`, `varchar`, `char`, `name`, `uuid`: ``PostgresValue/text(_:)``.
    case text
    /// `timestamp`, `timestamptz`, `date`: ``PostgresValue/timestamp(_:)``.
    case timestamp
    /// Anything else (named as PostgreSQL names it); reading a value throws, so cast it in the query.
    case other(String)

    init(_ type: PostgresDataType) {
        switch type {
        case .int2, .int4, .int8: self = .integer
        case .float4, .float8, .numeric: self = .floatingPoint
        case .bool: self = .boolean
        case .text, .varchar, .bpchar, .name, .uuid: self = .text
        case .timestamp, .timestamptz, .date: self = .timestamp
        default: self = .other(type.description)
        }
    }

    /// Whether values of this type are numbers.
    public var isNumeric: Bool { self == .integer || self == .floatingPoint || self == .boolean }
}
