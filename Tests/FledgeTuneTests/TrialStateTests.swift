import Testing
@testable import FledgeTune

@Test func trialStatesAreStoredAsTheirNames() {
    #expect(TrialState.allCases.map(\.rawValue) == ["running", "complete", "pruned", "failed", "waiting"])
}

@Test func onlyEndedTrialsCountAsFinished() {
    #expect(TrialState.allCases.filter(\.isFinished) == [.complete, .pruned, .failed])
}
