import Foundation

/// Runs `body(0)`, ..., `body(count - 1)` each on its own thread, all released together, and waits
/// for all of them. Unlike `DispatchQueue.concurrentPerform`, which may run the iterations one after
/// another on a busy machine, the bodies really overlap: what tests of concurrent workers need.
public func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        Thread {
            start.wait()
            body(index)
            done.leave()
        }.start()
    }
    for _ in 0..<count { start.signal() }
    done.wait()
}

/// A value several threads update under a lock.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    /// A locked value.
    public init(_ value: Value) { stored = value }

    /// The current value.
    public var value: Value { lock.withLock { stored } }

    /// Changes the value under the lock.
    public func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
