import Testing
@testable import FledgeTrain

/// The `seeds:` section: defaults, decoding, and errors that name the key path.
struct SeedsConfigTests {
    @Test func seedsSectionDecodesAndDefaultsToOneRun() throws {
        let plain = try FledgeConfig.load(yaml: minimalYAML)
        #expect(plain.seeds == SeedsConfig())
        #expect(!plain.seeds.isMultiSeed)
        let yaml = minimalYAML + """

            training:
              metrics: [accuracy, auroc]
            seeds:
              max_seeds: 4
              min_convergent_seeds: null
              convergent_metric: auroc
              convergent_score_threshold: 0.9
              seed_runs_dir: out/seeds
              keep_seed_runs: false
              use_cache: true
            """
        let seeds = try FledgeConfig.load(yaml: yaml).seeds
        #expect(seeds.maxSeeds == 4 && seeds.minConvergentSeeds == nil && seeds.convergentScoreThreshold == 0.9)
        #expect(seeds.seedRunsDir == "out/seeds" && !seeds.keepSeedRuns && seeds.useCache)
        let training = try FledgeConfig.load(yaml: yaml).training
        #expect(seeds.effectiveMetric(training: training) == "val_auroc")
        #expect(seeds.effectiveMode(training: training) == .max)
        // The monitored metric's configured mode is used when it is the convergence metric.
        var lossSeeds = SeedsConfig()
        lossSeeds.maxSeeds = 2
        #expect(lossSeeds.effectiveMetric(training: TrainingConfig()) == "val_loss")
        #expect(lossSeeds.effectiveMode(training: TrainingConfig()) == .min)
    }

    @Test func seedsOverridesWorkFromTheCommandLine() throws {
        let config = try FledgeConfig.load(yaml: minimalYAML, overrides: ["seeds.max_seeds=3", "seeds.use_cache=true"])
        #expect(config.seeds.maxSeeds == 3 && config.seeds.useCache)
        #expect(config.resolvedYAML().contains("seeds:\n  max_seeds: 3\n  min_convergent_seeds: 1\n"))
    }

    @Test func badSeedsKeysAreReportedWithTheirKeyPath() throws {
        let cases: [(yaml: String, overrides: [String], expected: String)] = [
            (minimalYAML + "\nseeds:\n  max_seed: 3\n", [],
             "config.yaml:7:3: seeds.max_seed is not a known key; did you mean seeds.max_seeds?"),
            (minimalYAML + "\nseeds:\n  max_seeds: 2\n  min_convergent_seeds: 3\n", [],
             "config.yaml:8:25: seeds.min_convergent_seeds (3) is more than seeds.max_seeds (2); "
                + "raise seeds.max_seeds or lower seeds.min_convergent_seeds"),
            (minimalYAML, ["seeds.max_seeds=0"], "--set seeds.max_seeds=0: seeds.max_seeds is 0; it must be at least 1"),
            (minimalYAML, ["seeds.min_convergent_seeds=0"],
             "--set seeds.min_convergent_seeds=0: seeds.min_convergent_seeds is 0; it must be at least 1 (null trains all seeds.max_seeds)"),
            (minimalYAML, ["seeds.max_seeds=3", "seeds.convergent_metric=r2"],
             "--set seeds.convergent_metric=r2: seeds.convergent_metric 'val_r2' is not measured on validation; "
                + "use one of val_loss, val_accuracy, val_f1, val_auroc"),
            (minimalYAML, ["seeds.max_seeds=3", "training.eval_strategy=no"],
             "--set seeds.max_seeds=3: seeds.max_seeds > 1 picks seeds on validation; set training.eval_strategy to epoch or steps"),
            (minimalYAML, ["seeds.keep_seed_runs=sometimes"],
             "--set seeds.keep_seed_runs=sometimes: seeds.keep_seed_runs: expected true or false, got 'sometimes'"),
        ]
        for (yaml, overrides, expected) in cases {
            let error = try #require(loadError(yaml, overrides: overrides))
            #expect(error.description == expected)
        }
    }
}
