/// Why training stopped with an error a user can act on.
public enum TrainerError: Error, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite; nothing from that batch was applied.
    case nonFiniteLoss(value: Double, step: Int, epoch: Int, batch: Int, lastCheckpoint: String?)
    /// The config asks for something the data or model cannot give.
    case invalidSetup(String)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let value, let step, let epoch, let batch, let lastCheckpoint):
            "training stopped: the loss became \(value.isNaN ? "NaN" : "\(value)") at step \(step) (epoch \(epoch + 1), batch \(batch + 1)); "
                + (lastCheckpoint.map { "the last good checkpoint is \($0); " } ?? "no checkpoint was written; ")
                + "lower training.learning_rate, set training.gradient_clip_val, or check the data for extreme values"
        case .invalidSetup(let message):
            message
        }
    }
}
