import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation
import Testing
@testable import FledgeTrain

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory(_ label: String = "fledge-test") -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every scalar's bit pattern, for bit-exact comparisons.
func bitPatterns(_ model: any Module) -> [String: [UInt32]] {
    model.stateDict().mapValues { $0.scalars.map(\.bitPattern) }
}

/// Takes one Adam step on a tiny MLP with dropout so every kind of state is non-trivial.
private func trainedModel() -> (MLP, Adam) {
    let model = MLP(inputSize: 3, layers: [4], outputSize: 2, dropout: 0.5, seed: 7)
    let optimizer = Adam(model.namedParameters, learningRate: 0.01)
    let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
    model(x).sum().backward()
    optimizer.step()
    return (model, optimizer)
}

@Test func checkpointRoundTripRestoresWeightsOptimizerAndGenerators() throws {
    let root = makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let (model, optimizer) = trainedModel()
    let state = CheckpointState(globalStep: 3, epoch: 1, batchInEpoch: 2, generators: model.generatorStates,
                                bestMetric: .infinity, callbacks: ["early": ["wait": .number(2), "mode": .string("min")]])
    let directory = root.appendingPathComponent("checkpoint-3")
    try Checkpoint.write(to: directory, model: model, optimizer: optimizer, state: state, configYAML: "a: 1\n")

    let fresh = MLP(inputSize: 3, layers: [4], outputSize: 2, dropout: 0.5, seed: 99)
    let freshOptimizer = Adam(fresh.namedParameters, learningRate: 0.01)
    let resolved = try Checkpoint.resolve("last", checkpointsDirectory: root)
    #expect(resolved.lastPathComponent == "checkpoint-3")
    let checkpoint = try Checkpoint.read(from: resolved)
    #expect(checkpoint.state == state)
    try checkpoint.restore(model: fresh, optimizer: freshOptimizer)
    #expect(bitPatterns(fresh) == bitPatterns(model))
    #expect(freshOptimizer.stepCount == 1)
    #expect(fresh.generatorStates == model.generatorStates)
}

@Test func rewritingACheckpointReplacesItWhole() throws {
    let root = makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let (model, optimizer) = trainedModel()
    let directory = root.appendingPathComponent("checkpoint-1")
    try Checkpoint.write(to: directory, model: model, optimizer: optimizer,
                         state: CheckpointState(globalStep: 1, epoch: 0, batchInEpoch: 1))
    try Checkpoint.write(to: directory, model: model, optimizer: optimizer,
                         state: CheckpointState(globalStep: 2, epoch: 0, batchInEpoch: 2))
    #expect(try Checkpoint.read(from: directory).state.globalStep == 2)
    let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    #expect(names == ["checkpoint-1", "last.txt"])
}

@Test func readerExplainsWhatIsWrong() throws {
    let root = makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(throws: CheckpointError.noLastCheckpoint(directory: root.path)) {
        try Checkpoint.resolve("last", checkpointsDirectory: root)
    }
    let missing = root.appendingPathComponent("nope")
    #expect(throws: CheckpointError.notFound(path: missing.path)) { try Checkpoint.read(from: missing) }

    let (model, optimizer) = trainedModel()
    let directory = root.appendingPathComponent("checkpoint-1")
    try Checkpoint.write(to: directory, model: model, optimizer: optimizer,
                         state: CheckpointState(globalStep: 1, epoch: 0, batchInEpoch: 1))
    try FileManager.default.removeItem(at: directory.appendingPathComponent(Checkpoint.optimizerFile))
    #expect(throws: CheckpointError.missingFile(checkpoint: directory.path, file: Checkpoint.optimizerFile)) {
        try Checkpoint.read(from: directory)
    }
    try Data("{\"globalStep\": 1}".utf8).write(to: directory.appendingPathComponent(Checkpoint.stateFile))
    do {
        _ = try Checkpoint.read(from: directory)
        Issue.record("a truncated state file was accepted")
    } catch let error as CheckpointError {
        #expect(error.description.contains("trainer_state.json is unreadable"))
    }
}

@Test func weightsOnlyCheckpointCannotResumeTraining() throws {
    let root = makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let (model, optimizer) = trainedModel()
    let directory = root.appendingPathComponent("best")
    try Checkpoint.write(to: directory, model: model, optimizer: optimizer,
                         state: CheckpointState(globalStep: 1, epoch: 0, batchInEpoch: 1, weightsOnly: true))
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(Checkpoint.optimizerFile).path))
    let checkpoint = try Checkpoint.read(from: directory)
    try checkpoint.restore(model: model, optimizer: nil)
    #expect(throws: CheckpointError.weightsOnly(checkpoint: directory.path)) {
        try checkpoint.restore(model: model, optimizer: optimizer)
    }
}

/// The directory a killed child and its parent test agree on: named after the parent's pid.
private func killTestDirectory(parent: Int32) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("fledge-kill-test-\(parent)")
}

/// Writes checkpoints of a model in a loop, as a training process does.
private func writeCheckpointsForever(into root: URL, killMidWrite: Bool) {
    let model = MLP(inputSize: 64, layers: [256, 256], outputSize: 10, dropout: 0.1, seed: 1)
    let optimizer = Adam(model.namedParameters, learningRate: 0.01)
    var step = 0
    while true {
        step += 1
        for parameter in model.parameters { parameter.assign(parameter.value + 1) }
        // The first checkpoint completes; afterwards the process dies while files are being written.
        let dieNow = killMidWrite && step == 2
        try! Checkpoint.write(to: root.appendingPathComponent("checkpoint-\(step)"), model: model,
                              optimizer: optimizer, state: CheckpointState(globalStep: step, epoch: 0, batchInEpoch: step),
                              beforeRename: dieNow ? { kill(getpid(), SIGKILL) } : nil)
    }
}

@Test func checkpointSurvivesSIGKILLDuringWrite() async throws {
    let root = killTestDirectory(parent: getpid())
    try? FileManager.default.removeItem(at: root)
    defer { try? FileManager.default.removeItem(at: root) }
    // Deterministic: killed after the files of checkpoint 2 are written, before its rename.
    await #expect(processExitsWith: .signal(SIGKILL)) {
        writeCheckpointsForever(into: killTestDirectory(parent: getppid()), killMidWrite: true)
    }
    let last = try Checkpoint.read(from: Checkpoint.resolve("last", checkpointsDirectory: root))
    #expect(last.state.globalStep == 1)
    let model = MLP(inputSize: 64, layers: [256, 256], outputSize: 10, dropout: 0.1, seed: 1)
    try last.restore(model: model, optimizer: Adam(model.namedParameters, learningRate: 0.01))

    // At a random moment: a watchdog thread kills the writer a few milliseconds in.
    try? FileManager.default.removeItem(at: root)
    await #expect(processExitsWith: .signal(SIGKILL)) {
        let directory = killTestDirectory(parent: getppid())
        Thread.detachNewThread {
            // Wait until some checkpoints exist, then kill at an arbitrary point of a later write.
            while (try? Checkpoint.resolve("last", checkpointsDirectory: directory)) == nil { usleep(500) }
            usleep(UInt32.random(in: 1_000...20_000))
            kill(getpid(), SIGKILL)
        }
        writeCheckpointsForever(into: directory, killMidWrite: false)
    }
    let survivor = try Checkpoint.read(from: Checkpoint.resolve("last", checkpointsDirectory: root))
    #expect(survivor.state.globalStep >= 1)
    try survivor.restore(model: model, optimizer: Adam(model.namedParameters, learningRate: 0.01))
}
