import FledgeData
import FledgeNN
import Foundation

/// A trained model with its preprocessing, loaded from a bundle directory (`<run>/model/`).
public final class FledgeModel {
    /// The weights file of a bundle.
    public static let weightsFile = "model.safetensors"
    /// The architecture/task file of a bundle.
    public static let descriptionFile = "model.json"
    /// The fitted preprocessing of a bundle.
    public static let preprocessorFile = "preprocessor.json"
}
