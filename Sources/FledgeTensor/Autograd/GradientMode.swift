/// Whether operations record themselves on the autodiff tape, scoped per task.
public enum GradientMode {
    /// True outside any `withoutGradients` scope.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations on the tape (for evaluation and parameter updates).
public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
    try GradientMode.$isEnabled.withValue(false, operation: body)
}
