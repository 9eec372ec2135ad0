import FledgeDistributed
import FledgeTrain
import Testing

/// `training.strategy` / `training.devices` against what mpirun started.
struct DistributedLaunchTests {
    private func training(_ strategy: TrainingStrategy, devices: Int? = nil, batchSize: Int = 32) -> TrainingConfig {
        var training = TrainingConfig()
        training.strategy = strategy
        training.devices = devices
        training.batchSize = batchSize
        return training
    }

    private let underMPIRun = ["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_LOCAL_SIZE": "2"]

    @Test func autoFollowsMPIRunAndDevices() throws {
        #expect(try DistributedLaunch.mode(for: training(.auto), environment: [:]) == .single)
        #expect(try DistributedLaunch.mode(for: training(.auto), environment: underMPIRun) == .dataParallel(processes: 2))
        #expect(try DistributedLaunch.mode(for: training(.auto, devices: 4), environment: [:]) == .relaunch(processes: 4))
        #expect(try DistributedLaunch.mode(for: training(.auto), environment: ["OMPI_COMM_WORLD_SIZE": "1"]) == .single)
    }

    @Test func ddpOutsideMPIRunStartsItOrSaysHow() throws {
        #expect(try DistributedLaunch.mode(for: training(.ddp, devices: 2), environment: [:]) == .relaunch(processes: 2))
        #expect(try DistributedLaunch.mode(for: training(.ddp, devices: 2), environment: underMPIRun) == .dataParallel(processes: 2))
        #expect(throws: DistributedError.self) { try DistributedLaunch.mode(for: training(.ddp), environment: [:]) }
    }

    @Test func settingsThatCannotWorkAreErrorsNamingTheKey() {
        let errors: [(TrainingConfig, [String: String], String)] = [
            (training(.single), underMPIRun, "training.strategy is single but mpirun started 2 processes"),
            (training(.ddp, devices: 4), underMPIRun, "training.devices is 4 but mpirun started 2 processes"),
            (training(.ddp, batchSize: 1), underMPIRun, "training.batch_size is 1"),
        ]
        for (config, environment, message) in errors {
            do {
                _ = try DistributedLaunch.mode(for: config, environment: environment)
                Issue.record("no error for \(message)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func ranksShareTheCoresUnlessThreadsAreSet() {
        #expect(DistributedLaunch.threadsPerRank(environment: underMPIRun, cores: 2) == 1)
        #expect(DistributedLaunch.threadsPerRank(environment: ["OMPI_COMM_WORLD_SIZE": "2"], cores: 8) == 4)
        #expect(DistributedLaunch.threadsPerRank(environment: ["OMPI_COMM_WORLD_SIZE": "4"], cores: 2) == 1)
        #expect(DistributedLaunch.threadsPerRank(environment: ["FLEDGE_NUM_THREADS": "2"], cores: 2) == nil)
    }

    @Test func mpirunGetsRootAndOversubscribeOnlyWhenNeeded() {
        #expect(DistributedLaunch.mpirunArguments(processes: 2, command: ["fledge", "train"], cores: 2, isRoot: false)
            == ["-np", "2", "fledge", "train"])
        #expect(DistributedLaunch.mpirunArguments(processes: 4, command: ["fledge"], cores: 2, isRoot: true)
            == ["-np", "4", "--oversubscribe", "--allow-run-as-root", "fledge"])
    }
}
