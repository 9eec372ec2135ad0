import Foundation
import Testing
@testable import FledgeTune

/// A fresh folder under the temporary directory for one test.
func temporaryDirectory(_ name: String = #function) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fledge-tune-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test func sqliteStorageConforms() throws {
    let path = temporaryDirectory().appendingPathComponent("study.sqlite").path
    try StudyStorageConformance.check(try SQLiteStudyStorage(path: path))
}

@Test func inMemoryStorageConforms() throws {
    try StudyStorageConformance.check(InMemoryStudyStorage())
}

@Test func sqliteStudySurvivesReopening() throws {
    let path = temporaryDirectory().appendingPathComponent("nested/study.sqlite").path
    let descriptor = StudyDescriptor(name: "s", direction: .maximize, spaceFingerprint: "f", samplerSeed: 3)
    do {
        let storage = try SQLiteStudyStorage(path: path)
        let study = try storage.openStudy(descriptor)
        let trial = try storage.startTrial(studyID: study.id, workerID: "a")
        try storage.setParams(trialID: trial.id, params: ["p": 1.5])
        try storage.finishTrial(trialID: trial.id, workerID: "a", state: .complete, value: 0.75, error: nil)
    }
    let reopened = try SQLiteStudyStorage(path: path)
    let study = try #require(try reopened.loadStudy(named: "s"))
    #expect(study.descriptor == descriptor)
    let trials = try reopened.trials(studyID: study.id)
    #expect(trials.count == 1 && trials[0].value == 0.75 && trials[0].params == ["p": 1.5])
}

@Test func storageURLsSelectTheirStorage() throws {
    #expect(StudyStorageFactory.sqlitePath("sqlite:///tmp/a/study.sqlite") == "/tmp/a/study.sqlite")
    #expect(StudyStorageFactory.sqlitePath("sqlite://runs/study.sqlite") == "runs/study.sqlite")
    #expect(StudyStorageFactory.sqlitePath("runs/study.sqlite") == "runs/study.sqlite")
    #expect(StudyStorageFactory.scheme(of: "postgresql://u@localhost:5432/db") == "postgresql")
    #expect(try StudyStorageFactory.standard.open(url: "memory:") is InMemoryStudyStorage)
    #expect(throws: StudyStorageError.unsupportedURL("mysql://u@h/db")) {
        try StudyStorageFactory.standard.open(url: "mysql://u@h/db")
    }
    #expect(StudyStorageFactory.standard.schemes.contains("postgresql"))
    let extended = StudyStorageFactory.standard.adding(scheme: "mysql") { _ in InMemoryStudyStorage() }
    #expect(try extended.open(url: "mysql://u@h/db") is InMemoryStudyStorage)
}
