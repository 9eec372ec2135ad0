import Testing
@testable import FledgePostgres

@Test func urlParsesUserPasswordHostPortDatabaseAndSSLMode() throws {
    let url = try PostgresURL("postgresql://alice:s%40cret@db.example.com:6543/shop?sslmode=require")
    #expect(url.user == "alice")
    #expect(url.password == "s@cret")
    #expect(url.host == "db.example.com")
    #expect(url.port == 6543)
    #expect(url.database == "shop")
    #expect(url.sslMode == .require)
    #expect(url.description == "postgresql://alice@db.example.com:6543/shop")
}

@Test func urlDefaultsPortUserAndSSLMode() throws {
    let url = try PostgresURL("postgres://db.example.com/fledge")
    #expect(url.port == 5432)
    #expect(url.user == "postgres")
    #expect(url.password == nil)
    #expect(url.sslMode == .prefer)
    #expect(try PostgresURL("postgresql://u@127.0.0.1:5433/db").sslMode == .disable)
}

@Test func badURLsAreRejectedWithoutShowingThePassword() {
    for bad in ["mysql://u:pw@h/db", "postgresql://u:pw@h", "postgresql://u:pw@h/db?sslmode=maybe", "postgresql://u:pw@h/db?foo=1"] {
        do {
            _ = try PostgresURL(bad)
            Issue.record("\(bad) parsed")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("invalid PostgreSQL URL"))
            #expect(!message.contains("pw"), "password leaked in: \(message)")
        }
    }
}

@Test func unreachableServerIsATypedErrorNamingTheServer() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    #expect {
        _ = try PostgresSession(url: "postgresql://someone:topsecret@127.0.0.1:1/nodb?sslmode=disable", connectTimeout: .seconds(2))
    } throws: { error in
        let message = String(describing: error)
        guard case PostgresClientError.connectionFailed = error else { return false }
        return message.contains("127.0.0.1:1/nodb") && !message.contains("topsecret")
    }
}
