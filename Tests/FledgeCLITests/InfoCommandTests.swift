import Testing

/// The tool's own surface: version, help, info, usage errors.
@Suite struct InfoCommandTests {
    @Test func infoPrintsKernelAndThreads() throws {
        let output = try FledgeProcess.run(["info"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("gemm:"))
        #expect(output.stdout.contains("threads: 1"))
    }

    @Test func versionFlagPrintsVersion() throws {
        let output = try FledgeProcess.run(["--version"])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("0."))
    }

    @Test(arguments: [[], ["train"], ["evaluate"], ["predict"], ["init"], ["info"]])
    func helpListsTheUsage(subcommand: [String]) throws {
        let output = try FledgeProcess.run(subcommand + ["--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("USAGE: fledge"))
        #expect(output.stderr.isEmpty)
    }

    @Test func helpSubcommandShowsTheSubcommandsHelp() throws {
        let output = try FledgeProcess.run(["help", "train"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("--set <key=value>"))
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let output = try FledgeProcess.run(["frobnicate"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("frobnicate"))
        #expect(!output.stderr.contains("Stack dump"))
    }
}
