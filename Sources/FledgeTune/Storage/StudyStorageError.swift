/// Errors a study storage reports; each message says what to do.
public enum StudyStorageError: Error, Equatable, CustomStringConvertible {
    /// A study of this name exists with different settings.
    case studyMismatch(study: String, field: String, stored: String, requested: String)
    /// No study of this name.
    case studyNotFound(String)
    /// No trial with this id.
    case trialNotFound(id: Int64)
    /// The trial is no longer running for this worker (it finished, or was re-queued after a stale heartbeat).
    case trialNotRunning(number: Int, state: TrialState, workerID: String)
    /// The storage URL names no storage this build knows.
    case unsupportedURL(String)
    /// The database itself failed (file, lock, SQL, connection).
    case database(location: String, message: String)

    public var description: String {
        switch self {
        case let .studyMismatch(study, field, stored, requested):
            return "study '\(study)' exists with \(field) \(stored), but this run asks for \(requested); "
                + "use a new tune.study_name (or --study-name), or restore the original setting"
        case let .studyNotFound(name):
            return "no study named '\(name)' in this storage; check tune.study_name or start it without --resume"
        case let .trialNotFound(id):
            return "trial id \(id) is not in this storage"
        case let .trialNotRunning(number, state, workerID):
            return "trial \(number) is \(state.rawValue), no longer running for worker \(workerID) "
                + "(its heartbeat went stale and another worker took it over)"
        case let .unsupportedURL(url):
            return "storage '\(url)' is not supported; use a file path, sqlite:///path/study.sqlite or "
                + "postgresql://user@host:port/db"
        case let .database(location, message):
            return "\(location): \(message)"
        }
    }
}
