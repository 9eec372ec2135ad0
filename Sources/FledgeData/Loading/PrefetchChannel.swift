import Dispatch
import Foundation
import Synchronization

/// A bounded hand-off from one producer thread to one consumer.
///
/// The producer blocks when `capacity` items wait unconsumed; the consumer blocks until an item
/// or the end arrives. `cancel()` (called when the consumer goes away) wakes a blocked producer
/// and makes its next `send` return false, so the thread ends instead of waiting forever.
final class PrefetchChannel<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var cancelled = false
    }

    private let state = Mutex(State())
    /// Counts items (plus one for the end) the consumer may take.
    private let filled = DispatchSemaphore(value: 0)
    /// Counts free slots. Starts at 0 and is signalled up to `capacity`, because libdispatch traps
    /// when a semaphore is destroyed below its initial value (as it is when iteration stops early).
    private let free = DispatchSemaphore(value: 0)
    /// Signalled when the producer thread has returned (tests check that none is left behind).
    let producerEnded = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        precondition(capacity > 0, "PrefetchChannel: capacity must be positive")
        for _ in 0..<capacity { free.signal() }
    }

    /// Runs `body` on a new thread; `body` passes each item to `send`, which returns false once
    /// the consumer has gone (then `body` should return).
    func startProducer(_ body: @escaping @Sendable (_ send: (Element) -> Bool) -> Void) {
        Thread.detachNewThread { [self] in
            body { item in
                free.wait()
                let accepted = state.withLock { state in
                    guard !state.cancelled else { return false }
                    state.items.append(item)
                    return true
                }
                if accepted { filled.signal() }
                return accepted
            }
            filled.signal()  // the end
            producerEnded.signal()
        }
    }

    /// The next item, or nil once the producer has finished and everything was taken.
    func receive() -> Element? {
        filled.wait()
        let item = state.withLock { state in state.items.isEmpty ? nil : state.items.removeFirst() }
        if item == nil {
            filled.signal()  // keep the end visible to later calls
        } else {
            free.signal()
        }
        return item
    }

    /// Stops the producer at its next `send`.
    func cancel() {
        state.withLock { $0.cancelled = true }
        free.signal()
    }
}

/// Cancels its channel when the last iterator copy holding it is dropped.
final class ChannelOwner<Element: Sendable>: Sendable {
    let channel: PrefetchChannel<Element>

    init(channel: PrefetchChannel<Element>) { self.channel = channel }

    deinit { channel.cancel() }
}
