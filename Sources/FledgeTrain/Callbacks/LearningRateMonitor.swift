/// Records the learning rate of every parameter group after each optimizer step and adds it to
/// the next log entry (`lr_group_<i>`) when there are several groups (Lightning's
/// `LearningRateMonitor`). The first group's rate is always logged as `lr`.
public final class LearningRateMonitor: Callback {
    /// (step, rates per group) after each optimizer step.
    public private(set) var history: [(step: Int, rates: [Float])] = []

    /// Creates the monitor.
    public init() {}

    public func onTrainBatchEnd(_ trainer: Trainer) {
        guard trainer.state.optimizerStepped else { return }
        let rates = trainer.optimizer.learningRates
        history.append((trainer.state.globalStep, rates))
        guard rates.count > 1 else { return }
        for (group, rate) in rates.enumerated() { trainer.state.pendingLogValues["lr_group_\(group)"] = Double(rate) }
    }
}
