import Testing
@testable import FledgeTrain

/// `training.strategy` and `training.devices`: parsed, defaulted and checked where the config alone decides.
@Test func strategyAndDevicesParseWithDefaults() throws {
    let defaults = try FledgeConfig.load(yaml: minimalYAML, source: "config.yaml", overrides: [])
    #expect(defaults.training.strategy == .auto)
    #expect(defaults.training.devices == nil)
    let ddp = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  strategy: ddp\n  devices: 2\n", source: "config.yaml", overrides: [])
    #expect(ddp.training.strategy == .ddp)
    #expect(ddp.training.devices == 2)
}

@Test func devicesThatCannotWorkPointAtTheKey() throws {
    let cases: [(String, String)] = [
        ("\ntraining:\n  strategy: dp\n", "config.yaml:7:13: training.strategy: 'dp' is not one of auto, single, ddp"),
        ("\ntraining:\n  devices: 0\n", "config.yaml:7:12: training.devices is 0; it must be a positive number of processes"),
        ("\ntraining:\n  strategy: single\n  devices: 2\n",
         "config.yaml:8:12: training.devices is 2 but training.strategy is single; set training.strategy: ddp or devices: 1"),
        ("\ntraining:\n  batch_size: 4\n  devices: 8\n",
         "config.yaml:8:12: training.devices is 8 but training.batch_size (the global batch) is 4; each process needs at least one row per batch: raise batch_size or lower devices"),
    ]
    for (yaml, expected) in cases {
        let error = try #require(loadError(minimalYAML + yaml))
        #expect(error.description == expected)
    }
}
