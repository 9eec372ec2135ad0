import FledgePostgres
import Foundation

/// A study storage in a PostgreSQL database, so workers on many machines share one study.
///
/// `storage: postgresql://user[:password]@host[:port]/database` (or `--storage`) selects it. The
/// tables (`fledge_studies`, `fledge_trials`, `fledge_trial_params`, `fledge_trial_values`) are
/// created on first use. Every call is one transaction; starting a trial locks the study's row
/// (`SELECT ... FOR UPDATE`), so concurrent workers on any machine get distinct, gap-free trial
/// numbers. Times come from the server's clock (`clock_timestamp()`), so workers whose clocks
/// disagree still judge heartbeats alike. A killed worker loses nothing committed: a finished
/// trial is durable when `finishTrial` returns.
///
/// One storage holds one connection (calls from several threads take turns); open one storage per
/// worker process. After the server drops the connection (restart, network), the next call
/// reconnects once before failing.
public final class PostgresStudyStorage: StudyStorage, @unchecked Sendable {
    /// The database (no password).
    public let url: PostgresURL
    private let lock = NSLock()
    private var session: PostgresSession

    /// Connects to the database `url` names and creates the study tables if they are missing.
    public init(url: String) throws {
        do {
            self.url = try PostgresURL(url)
            session = try PostgresSession(url: self.url)
            try session.transaction {
                // CREATE TABLE IF NOT EXISTS races when two workers start at once: serialise on a lock.
                try session.execute("SELECT pg_advisory_xact_lock(\(Self.schemaLockKey))")
                for statement in Self.schema { try session.execute(statement) }
            }
        } catch let error as PostgresClientError {
            throw StudyStorageError.database(location: Self.location(url), message: error.description)
        }
    }

    /// An arbitrary constant naming the schema-creation advisory lock ("fledge" in ASCII).
    private static let schemaLockKey = 0x666C_6564_6765

    /// One statement each: postgres-nio's extended protocol runs one statement per call.
    private static let schema = [
        """
        CREATE TABLE IF NOT EXISTS fledge_studies (
            id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, direction text NOT NULL,
            space_fingerprint text NOT NULL, sampler_seed bigint NOT NULL, created_at double precision NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS fledge_trials (
            id bigserial PRIMARY KEY, study_id bigint NOT NULL REFERENCES fledge_studies(id), number integer NOT NULL,
            state text NOT NULL, value double precision, error text, worker_id text, created_at double precision NOT NULL,
            started_at double precision, finished_at double precision, heartbeat_at double precision,
            UNIQUE (study_id, number))
        """,
        """
        CREATE TABLE IF NOT EXISTS fledge_trial_params (
            trial_id bigint NOT NULL REFERENCES fledge_trials(id), name text NOT NULL, value double precision NOT NULL,
            PRIMARY KEY (trial_id, name))
        """,
        """
        CREATE TABLE IF NOT EXISTS fledge_trial_values (
            trial_id bigint NOT NULL REFERENCES fledge_trials(id), step integer NOT NULL, value double precision NOT NULL,
            PRIMARY KEY (trial_id, step))
        """,
    ]

    /// The server's current time in seconds since 1970, as SQL.
    private static let now = "EXTRACT(EPOCH FROM clock_timestamp())::double precision"

    private static func location(_ url: String) -> String {
        (try? PostgresURL(url).description) ?? "PostgreSQL study storage"
    }

    /// Runs `body` in one transaction on the (re)connected session, turning client errors into
    /// `StudyStorageError.database`.
    @discardableResult
    private func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            if session.isClosed { session = try PostgresSession(url: url) }
            return try session.transaction { try body(session) }
        } catch let error as PostgresClientError {
            throw StudyStorageError.database(location: url.description, message: error.description)
        }
    }

    public func createStudyIfAbsent(_ descriptor: StudyDescriptor) throws -> StudyRecord {
        try transaction { db in
            try db.execute(
                """
                INSERT INTO fledge_studies (name, direction, space_fingerprint, sampler_seed, created_at)
                VALUES ($1, $2, $3, $4, \(Self.now)) ON CONFLICT (name) DO NOTHING
                """,
                [.text(descriptor.name), .text(descriptor.direction.rawValue), .text(descriptor.spaceFingerprint),
                 .int(Int(Int64(bitPattern: descriptor.samplerSeed)))])
            return try Self.study(named: descriptor.name, in: db)!
        }
    }

    public func loadStudy(named name: String) throws -> StudyRecord? {
        try transaction { db in try Self.study(named: name, in: db) }
    }

    private static func study(named name: String, in db: PostgresSession) throws -> StudyRecord? {
        let result = try db.query("SELECT * FROM fledge_studies WHERE name = $1", [.text(name)])
        guard !result.isEmpty else { return nil }
        let descriptor = StudyDescriptor(
            name: try result.string(0, "name"),
            direction: StudyDirection(rawValue: try result.string(0, "direction")) ?? .minimize,
            spaceFingerprint: try result.string(0, "space_fingerprint"),
            samplerSeed: UInt64(bitPattern: Int64(try result.int(0, "sampler_seed"))))
        return StudyRecord(id: Int64(try result.int(0, "id")), descriptor: descriptor,
                           createdAt: Date(timeIntervalSince1970: try result.double(0, "created_at")))
    }

    public func trials(studyID: Int64, states: Set<TrialState>?) throws -> [TrialRecord] {
        try transaction { db in try Self.trials(filter: "t.study_id = $1", key: studyID, states: states, in: db) }
    }

    private static func trials(filter: String, key: Int64, states: Set<TrialState>?, in db: PostgresSession) throws
        -> [TrialRecord]
    {
        var trials: [TrialRecord] = []
        var index: [Int64: Int] = [:]
        let rows = try db.query("SELECT * FROM fledge_trials t WHERE \(filter) ORDER BY number", [.int(Int(key))])
        for row in 0..<rows.count {
            let state = TrialState(rawValue: try rows.string(row, "state")) ?? .failed
            if let states, !states.contains(state) { continue }
            func date(_ column: String) throws -> Date? {
                try rows.value(row, column).doubleValue.map(Date.init(timeIntervalSince1970:))
            }
            let id = Int64(try rows.int(row, "id"))
            index[id] = trials.count
            trials.append(TrialRecord(
                id: id, number: try rows.int(row, "number"), state: state,
                value: try rows.value(row, "value").doubleValue, error: try rows.value(row, "error").stringValue,
                workerID: try rows.value(row, "worker_id").stringValue, createdAt: try date("created_at")!,
                startedAt: try date("started_at"), finishedAt: try date("finished_at"), heartbeatAt: try date("heartbeat_at")))
        }
        let join = "JOIN fledge_trials t ON t.id = x.trial_id WHERE \(filter)"
        let params = try db.query("SELECT x.trial_id, x.name, x.value FROM fledge_trial_params x \(join)", [.int(Int(key))])
        for row in 0..<params.count {
            if let i = index[Int64(try params.int(row, "trial_id"))] {
                trials[i].params[try params.string(row, "name")] = try params.double(row, "value")
            }
        }
        let values = try db.query("SELECT x.trial_id, x.step, x.value FROM fledge_trial_values x \(join)", [.int(Int(key))])
        for row in 0..<values.count {
            if let i = index[Int64(try values.int(row, "trial_id"))] {
                trials[i].intermediateValues[try values.int(row, "step")] = try values.double(row, "value")
            }
        }
        return trials
    }

    private static func trial(id: Int64, in db: PostgresSession) throws -> TrialRecord {
        guard let trial = try trials(filter: "t.id = $1", key: id, states: nil, in: db).first else {
            throw StudyStorageError.trialNotFound(id: id)
        }
        return trial
    }

    /// Locks the study's row until the transaction ends: the one point where workers on every
    /// machine queue up to allocate a trial number or claim a waiting trial.
    private static func lockStudy(_ studyID: Int64, in db: PostgresSession) throws {
        let found = try db.query("SELECT id FROM fledge_studies WHERE id = $1 FOR UPDATE", [.int(Int(studyID))])
        if found.isEmpty { throw StudyStorageError.studyNotFound("id \(studyID)") }
    }

    /// Inserts trial number max+1 of the study (its row must be locked) and returns its id.
    private static func insertNextTrial(studyID: Int64, state: TrialState, workerID: String?, in db: PostgresSession) throws
        -> Int64
    {
        let running = state == .running
        let result = try db.query(
            """
            INSERT INTO fledge_trials (study_id, number, state, worker_id, created_at, started_at, heartbeat_at)
            VALUES ($1, (SELECT COALESCE(MAX(number) + 1, 0) FROM fledge_trials WHERE study_id = $1), $2, $3,
                    \(now), \(running ? now : "NULL"), \(running ? now : "NULL"))
            RETURNING id
            """,
            [.int(Int(studyID)), .text(state.rawValue), workerID.map(PostgresValue.text) ?? .null])
        return Int64(try result.int(0, "id"))
    }

    public func startTrial(studyID: Int64, workerID: String) throws -> TrialRecord {
        try transaction { db in
            try Self.lockStudy(studyID, in: db)
            let waiting = try db.query(
                "SELECT id FROM fledge_trials WHERE study_id = $1 AND state = 'waiting' ORDER BY number LIMIT 1",
                [.int(Int(studyID))])
            let id: Int64
            if !waiting.isEmpty {
                id = Int64(try waiting.int(0, "id"))
                try db.execute(
                    """
                    UPDATE fledge_trials SET state = 'running', worker_id = $1, started_at = \(Self.now),
                        heartbeat_at = \(Self.now) WHERE id = $2
                    """,
                    [.text(workerID), .int(Int(id))])
            } else {
                id = try Self.insertNextTrial(studyID: studyID, state: .running, workerID: workerID, in: db)
            }
            return try Self.trial(id: id, in: db)
        }
    }

    public func enqueueTrial(studyID: Int64, params: [String: Double]) throws -> TrialRecord {
        try transaction { db in
            try Self.lockStudy(studyID, in: db)
            let id = try Self.insertNextTrial(studyID: studyID, state: .waiting, workerID: nil, in: db)
            try Self.upsertParams(params, trialID: id, in: db)
            return try Self.trial(id: id, in: db)
        }
    }

    private static func upsertParams(_ params: [String: Double], trialID: Int64, in db: PostgresSession) throws {
        for (name, value) in params.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                """
                INSERT INTO fledge_trial_params (trial_id, name, value) VALUES ($1, $2, $3)
                ON CONFLICT (trial_id, name) DO UPDATE SET value = EXCLUDED.value
                """,
                [.int(Int(trialID)), .text(name), .double(value)])
        }
    }

    public func setParams(trialID: Int64, params: [String: Double]) throws {
        try transaction { db in
            let exists = try db.query("SELECT id FROM fledge_trials WHERE id = $1", [.int(Int(trialID))])
            if exists.isEmpty { throw StudyStorageError.trialNotFound(id: trialID) }
            try Self.upsertParams(params, trialID: trialID, in: db)
        }
    }

    public func reportIntermediateValue(trialID: Int64, step: Int, value: Double) throws {
        try transaction { db in
            try db.execute(
                """
                INSERT INTO fledge_trial_values (trial_id, step, value) VALUES ($1, $2, $3)
                ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value
                """,
                [.int(Int(trialID)), .int(step), .double(value)])
        }
    }

    /// Locks the trial's row and checks that it runs for `workerID`.
    private static func requireRunning(trialID: Int64, workerID: String, in db: PostgresSession) throws {
        let row = try db.query("SELECT number, state, worker_id FROM fledge_trials WHERE id = $1 FOR UPDATE", [.int(Int(trialID))])
        guard !row.isEmpty else { throw StudyStorageError.trialNotFound(id: trialID) }
        let state = TrialState(rawValue: try row.string(0, "state")) ?? .failed
        let owner = try row.value(0, "worker_id").stringValue
        if state != .running || owner != workerID {
            throw StudyStorageError.trialNotRunning(number: try row.int(0, "number"), state: state, workerID: workerID)
        }
    }

    public func finishTrial(trialID: Int64, workerID: String, state: TrialState, value: Double?, error: String?) throws {
        precondition(state.isFinished, "finishTrial: \(state) is not a final state")
        try transaction { db in
            try Self.requireRunning(trialID: trialID, workerID: workerID, in: db)
            let stored = value.flatMap { $0.isNaN ? nil : $0 }
            try db.execute(
                "UPDATE fledge_trials SET state = $1, value = $2, error = $3, finished_at = \(Self.now) WHERE id = $4",
                [.text(state.rawValue), stored.map(PostgresValue.double) ?? .null, error.map(PostgresValue.text) ?? .null,
                 .int(Int(trialID))])
        }
    }

    public func heartbeat(trialID: Int64, workerID: String) throws {
        try transaction { db in
            try Self.requireRunning(trialID: trialID, workerID: workerID, in: db)
            try db.execute("UPDATE fledge_trials SET heartbeat_at = \(Self.now) WHERE id = $1", [.int(Int(trialID))])
        }
    }

    public func recoverStaleTrials(studyID: Int64, timeout: TimeInterval, requeue: Bool) throws -> [Int] {
        try transaction { db in
            let rows = try db.query(
                """
                SELECT id, number, worker_id, heartbeat_at FROM fledge_trials
                WHERE study_id = $1 AND state = 'running' AND COALESCE(heartbeat_at, 0) < \(Self.now) - $2
                ORDER BY number FOR UPDATE
                """,
                [.int(Int(studyID)), .double(timeout)])
            var numbers: [Int] = []
            for row in 0..<rows.count {
                let id = PostgresValue.int(try rows.int(row, "id"))
                let reason = StaleTrial.reason(
                    worker: try rows.value(row, "worker_id").stringValue,
                    heartbeat: try rows.value(row, "heartbeat_at").doubleValue, requeued: requeue)
                if requeue {
                    try db.execute("DELETE FROM fledge_trial_values WHERE trial_id = $1", [id])
                    try db.execute(
                        "UPDATE fledge_trials SET state = 'waiting', error = $1, worker_id = NULL, heartbeat_at = NULL WHERE id = $2",
                        [.text(reason), id])
                } else {
                    try db.execute(
                        "UPDATE fledge_trials SET state = 'failed', error = $1, finished_at = \(Self.now) WHERE id = $2",
                        [.text(reason), id])
                }
                numbers.append(try rows.int(row, "number"))
            }
            return numbers
        }
    }
}
