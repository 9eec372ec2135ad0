import FledgeTensor

/// A module whose computations can run in another number format (see `Precision`); today `Linear`.
public protocol PrecisionSettable: Module {
    /// The number format of this module's matrix products.
    var precision: Precision { get set }
}

extension Module {
    /// Sets `precision` on this module and every descendant that has one, like wrapping the
    /// model's forward and backward in PyTorch's `torch.autocast(dtype=torch.bfloat16)`:
    /// `model.setPrecision(.bfloat16Mixed)`. Weights stay Float32, so state dicts are unchanged.
    public func setPrecision(_ precision: Precision) {
        for (_, module) in namedModules {
            if let settable = module as? any PrecisionSettable { settable.precision = precision }
        }
    }
}
