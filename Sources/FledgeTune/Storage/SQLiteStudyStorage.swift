import Foundation
import GRDB

/// The default study storage: one SQLite file (through GRDB) that several processes share.
///
/// The file uses write-ahead logging and a busy timeout, so workers on one machine read while one
/// writes and wait for each other's short write transactions instead of failing. Every call is its
/// own transaction; trial numbers are allocated inside an IMMEDIATE transaction.
public final class SQLiteStudyStorage: StudyStorage {
    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the study database at `path`, creating its folder too.
    /// - Parameter busyTimeout: how long a writer waits for another process's lock before failing.
    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(busyTimeout)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in try db.execute(sql: Self.schema) }
        } catch {
            throw StudyStorageError.database(location: path, message: "cannot open the study database: \(error)")
        }
    }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS studies (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL,
            space_fingerprint TEXT NOT NULL, sampler_seed INTEGER NOT NULL, created_at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS trials (
            id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL,
            state TEXT NOT NULL, value REAL, error TEXT, worker_id TEXT, created_at REAL NOT NULL,
            started_at REAL, finished_at REAL, heartbeat_at REAL, UNIQUE (study_id, number));
        CREATE TABLE IF NOT EXISTS trial_params (
            trial_id INTEGER NOT NULL REFERENCES trials(id), name TEXT NOT NULL, value REAL NOT NULL,
            PRIMARY KEY (trial_id, name));
        CREATE TABLE IF NOT EXISTS trial_values (
            trial_id INTEGER NOT NULL REFERENCES trials(id), step INTEGER NOT NULL, value REAL NOT NULL,
            PRIMARY KEY (trial_id, step));
        """

    /// Runs `body` in an IMMEDIATE transaction, turning GRDB errors into `StudyStorageError.database`.
    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            var result: T?
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
            }
            return result!
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError.database(location: path, message: "\(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read { db in try body(db) }
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError.database(location: path, message: "\(error)")
        }
    }

    private static func now() -> Double { Date().timeIntervalSince1970 }

    public func createStudyIfAbsent(_ descriptor: StudyDescriptor) throws -> StudyRecord {
        try write { db in
            if let existing = try Self.study(named: descriptor.name, in: db) { return existing }
            try db.execute(
                sql: """
                    INSERT INTO studies (name, direction, space_fingerprint, sampler_seed, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [descriptor.name, descriptor.direction.rawValue, descriptor.spaceFingerprint,
                            Int64(bitPattern: descriptor.samplerSeed), Self.now()])
            return try Self.study(named: descriptor.name, in: db)!
        }
    }

    public func loadStudy(named name: String) throws -> StudyRecord? {
        try read { db in try Self.study(named: name, in: db) }
    }

    private static func study(named name: String, in db: Database) throws -> StudyRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE name = ?", arguments: [name])
        else { return nil }
        let seed: Int64 = row["sampler_seed"]
        let descriptor = StudyDescriptor(
            name: row["name"], direction: StudyDirection(rawValue: row["direction"]) ?? .minimize,
            spaceFingerprint: row["space_fingerprint"], samplerSeed: UInt64(bitPattern: seed))
        return StudyRecord(id: row["id"], descriptor: descriptor,
                           createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func trials(studyID: Int64, states: Set<TrialState>?) throws -> [TrialRecord] {
        try read { db in try Self.trials(studyID: studyID, states: states, trialID: nil, in: db) }
    }

    private static func trials(studyID: Int64?, states: Set<TrialState>?, trialID: Int64?, in db: Database) throws
        -> [TrialRecord]
    {
        let filter = trialID != nil ? "t.id = ?" : "t.study_id = ?"
        let key = trialID ?? studyID!
        var trials: [TrialRecord] = []
        var index: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM trials t WHERE \(filter) ORDER BY number", arguments: [key]) {
            let state = TrialState(rawValue: row["state"]) ?? .failed
            if let states, !states.contains(state) { continue }
            func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
            index[row["id"]] = trials.count
            trials.append(TrialRecord(
                id: row["id"], number: row["number"], state: state, value: row["value"], error: row["error"],
                workerID: row["worker_id"], createdAt: date("created_at")!, startedAt: date("started_at"),
                finishedAt: date("finished_at"), heartbeatAt: date("heartbeat_at")))
        }
        let join = "JOIN trials t ON t.id = x.trial_id WHERE \(filter)"
        for row in try Row.fetchAll(db, sql: "SELECT x.* FROM trial_params x \(join)", arguments: [key]) {
            if let i = index[row["trial_id"]] { trials[i].params[row["name"]] = row["value"] }
        }
        for row in try Row.fetchAll(db, sql: "SELECT x.* FROM trial_values x \(join)", arguments: [key]) {
            if let i = index[row["trial_id"]] { trials[i].intermediateValues[row["step"]] = row["value"] }
        }
        return trials
    }

    private static func trial(id: Int64, in db: Database) throws -> TrialRecord {
        guard let trial = try trials(studyID: nil, states: nil, trialID: id, in: db).first else {
            throw StudyStorageError.trialNotFound(id: id)
        }
        return trial
    }

    public func startTrial(studyID: Int64, workerID: String) throws -> TrialRecord {
        try write { db in
            let now = Self.now()
            let waiting = try Int64.fetchOne(
                db, sql: "SELECT id FROM trials WHERE study_id = ? AND state = 'waiting' ORDER BY number LIMIT 1",
                arguments: [studyID])
            let id: Int64
            if let waiting {
                id = waiting
                try db.execute(
                    sql: "UPDATE trials SET state = 'running', worker_id = ?, started_at = ?, heartbeat_at = ? WHERE id = ?",
                    arguments: [workerID, now, now, id])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO trials (study_id, number, state, worker_id, created_at, started_at, heartbeat_at)
                        VALUES (?, (SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?),
                                'running', ?, ?, ?, ?)
                        """,
                    arguments: [studyID, studyID, workerID, now, now, now])
                id = db.lastInsertedRowID
            }
            return try Self.trial(id: id, in: db)
        }
    }

    public func enqueueTrial(studyID: Int64, params: [String: Double]) throws -> TrialRecord {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO trials (study_id, number, state, created_at)
                    VALUES (?, (SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?), 'waiting', ?)
                    """,
                arguments: [studyID, studyID, Self.now()])
            let id = db.lastInsertedRowID
            try Self.insertParams(params, trialID: id, in: db)
            return try Self.trial(id: id, in: db)
        }
    }

    private static func insertParams(_ params: [String: Double], trialID: Int64, in db: Database) throws {
        for (name, value) in params.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT OR REPLACE INTO trial_params (trial_id, name, value) VALUES (?, ?, ?)",
                arguments: [trialID, name, value])
        }
    }

    public func setParams(trialID: Int64, params: [String: Double]) throws {
        try write { db in
            _ = try Self.trial(id: trialID, in: db)
            try Self.insertParams(params, trialID: trialID, in: db)
        }
    }

    public func reportIntermediateValue(trialID: Int64, step: Int, value: Double) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO trial_values (trial_id, step, value) VALUES (?, ?, ?)",
                arguments: [trialID, step, value])
        }
    }

    /// Checks that the trial runs for `workerID` inside the current transaction.
    private static func requireRunning(trialID: Int64, workerID: String, in db: Database) throws {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT number, state, worker_id FROM trials WHERE id = ?", arguments: [trialID])
        else { throw StudyStorageError.trialNotFound(id: trialID) }
        let state = TrialState(rawValue: row["state"]) ?? .failed
        if state != .running || (row["worker_id"] as String?) != workerID {
            throw StudyStorageError.trialNotRunning(number: row["number"], state: state, workerID: workerID)
        }
    }

    public func finishTrial(trialID: Int64, workerID: String, state: TrialState, value: Double?, error: String?) throws {
        precondition(state.isFinished, "finishTrial: \(state) is not a final state")
        try write { db in
            try Self.requireRunning(trialID: trialID, workerID: workerID, in: db)
            let stored = value.flatMap { $0.isNaN ? nil : $0 }
            try db.execute(
                sql: "UPDATE trials SET state = ?, value = ?, error = ?, finished_at = ? WHERE id = ?",
                arguments: [state.rawValue, stored, error, Self.now(), trialID])
        }
    }

    public func heartbeat(trialID: Int64, workerID: String) throws {
        try write { db in
            try Self.requireRunning(trialID: trialID, workerID: workerID, in: db)
            try db.execute(sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ?", arguments: [Self.now(), trialID])
        }
    }

    public func recoverStaleTrials(studyID: Int64, timeout: TimeInterval, requeue: Bool) throws -> [Int] {
        try write { db in
            let now = Self.now()
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT id, number, worker_id, heartbeat_at FROM trials
                    WHERE study_id = ? AND state = 'running' AND COALESCE(heartbeat_at, 0) < ? ORDER BY number
                    """,
                arguments: [studyID, now - timeout])
            for row in rows {
                let id: Int64 = row["id"]
                let reason = StaleTrial.reason(worker: row["worker_id"], heartbeat: row["heartbeat_at"], requeued: requeue)
                if requeue {
                    try db.execute(sql: "DELETE FROM trial_values WHERE trial_id = ?", arguments: [id])
                    try db.execute(
                        sql: "UPDATE trials SET state = 'waiting', error = ?, worker_id = NULL, heartbeat_at = NULL WHERE id = ?",
                        arguments: [reason, id])
                } else {
                    try db.execute(
                        sql: "UPDATE trials SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
                        arguments: [reason, now, id])
                }
            }
            return rows.map { $0["number"] }
        }
    }
}

/// The text recorded on a trial whose worker stopped sending heartbeats (shared by all storages).
public enum StaleTrial {
    /// Why the trial was re-queued or failed.
    public static func reason(worker: String?, heartbeat: Double?, requeued: Bool) -> String {
        let when = heartbeat.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) } ?? "never"
        return "worker \(worker ?? "?") stopped sending heartbeats (last at \(when)); "
            + (requeued ? "re-queued" : "marked failed")
    }
}
