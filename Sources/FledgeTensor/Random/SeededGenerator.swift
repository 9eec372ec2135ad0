/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Fledge never draws from a hidden global generator: every random op takes one of these
/// explicitly, so the same seed gives the same bits on every run and machine. Its state is
/// four words that a checkpoint can save and restore.
public struct SeededGenerator: RandomNumberGenerator, Hashable, Codable, Sendable {
    /// The full internal state.
    public var state: [UInt64]

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        var mixer = seed
        state = (0..<4).map { _ in
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Restores a generator from a saved state.
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "SeededGenerator: state must be 4 words, not all zero")
        self.state = state
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotate(state[3], 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A standard normal Float (Box–Muller).
    public mutating func nextNormal() -> Float {
        let u1 = Swift.max(nextUniform(), 0x1p-25)
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }

    /// A generator for a derived stream (e.g. one per epoch or worker) that does not disturb this one.
    public func derived(stream: UInt64) -> SeededGenerator {
        var copy = SeededGenerator(seed: state[0] ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        _ = copy.next()
        return copy
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
