import FledgeTensor

/// Mean squared error, (prediction − target)², as `torch.nn.functional.mse_loss`.
public func mseLoss(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    ElementwiseLoss.evaluate(op: "mseLoss", prediction, target, reduction: reduction) { x, t, _ in
        let difference = x - t
        return (difference * difference, 2 * difference, -2 * difference)
    }
}

/// Mean absolute error, |prediction − target|, as `torch.nn.functional.l1_loss`
/// (the gradient at a tie is 0, as PyTorch's `sign`).
public func l1Loss(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    ElementwiseLoss.evaluate(op: "l1Loss", prediction, target, reduction: reduction) { x, t, _ in
        let difference = x - t
        let sign: Float = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
        return (abs(difference), sign, -sign)
    }
}

/// Huber loss, quadratic within `delta` of the target and linear beyond it, as
/// `torch.nn.functional.huber_loss`: ½d² if |d| < delta, else delta·(|d| − ½delta).
public func huberLoss(_ prediction: Tensor, _ target: Tensor, delta: Float = 1, reduction: Reduction = .mean) -> Tensor {
    precondition(delta > 0, "huberLoss: delta must be positive, got \(delta)")
    return ElementwiseLoss.evaluate(op: "huberLoss", prediction, target, reduction: reduction) { x, t, _ in
        let difference = x - t
        if abs(difference) < delta {
            return (0.5 * difference * difference, difference, -difference)
        }
        let slope: Float = difference > 0 ? delta : -delta
        return (delta * (abs(difference) - 0.5 * delta), slope, -slope)
    }
}
