import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The PostgreSQL server the tests may use: `FLEDGE_TEST_POSTGRES_URL`, which `make test` (and so CI) sets
/// after starting a throwaway server with `scripts/postgres-test-server.sh start`.
///
/// Tests that need it use `@Test(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))`, so
/// where no server is configured or reachable they skip with a message saying how to get one.
public enum TestPostgres {
    /// The URL from the environment, or nil when unset or empty.
    public static var url: String? {
        guard let value = ProcessInfo.processInfo.environment["FLEDGE_TEST_POSTGRES_URL"], !value.isEmpty else { return nil }
        return value
    }

    /// Whether the URL is set and its host accepts TCP connections on its port.
    public static let isAvailable: Bool = {
        guard let url, let components = URLComponents(string: url), let host = components.host else { return false }
        return acceptsConnections(host: host, port: components.port ?? 5432)
    }()

    /// Why the PostgreSQL tests skip (shown by the test runner).
    public static var skipComment: Comment {
        if let url {
            return Comment(rawValue: "PostgreSQL at \(url) (FLEDGE_TEST_POSTGRES_URL) is not reachable; start it with scripts/postgres-test-server.sh start")
        }
        return Comment(rawValue: "no PostgreSQL for tests: run `make test`, or export FLEDGE_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh start)")
    }

    /// A table or study name no other test (or concurrent test run on the same server) uses.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func acceptsConnections(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let first = info else { return false }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            let socketDescriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if socketDescriptor >= 0 {
                defer { close(socketDescriptor) }
                if connect(socketDescriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return true }
            }
            entry = address.pointee.ai_next
        }
        return false
    }
}
