import Testing

/// `fledge init --task <task>` prints a commented template for each task.
@Suite struct InitCommandTests {
    @Test(arguments: ["binary", "multiclass", "multilabel", "regression"])
    func initPrintsACommentedTemplateForTheTask(task: String) throws {
        let output = try FledgeProcess.run(["init", "--task", task])
        #expect(output.status == 0)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout.contains("task: \(task)"))
        for section in ["experiment:", "data:", "model:", "training:"] {
            #expect(output.stdout.contains("\n\(section)"), "template lacks \(section)")
        }
        #expect(output.stdout.contains("#"), "the template should be commented")
    }

    @Test func initRejectsAnUnknownTaskListingTheValidOnes() throws {
        let output = try FledgeProcess.run(["init", "--task", "ranking"])
        #expect(output.status != 0)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("'ranking'"))
        #expect(output.stderr.contains("multilabel"))
    }
}
