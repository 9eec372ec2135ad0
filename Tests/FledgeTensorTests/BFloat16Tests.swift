import CFledgeKernels
import FledgeTestSupport
import Testing
@testable import FledgeTensor

/// bf16 bits of each value, through the conversion kernel.
private func bfloat16Bits(_ values: [Float]) -> [UInt16] {
    var bits = [UInt16](repeating: 0, count: values.count)
    fledge_f32_to_bf16(values, &bits, values.count)
    return bits
}

@Test func conversionRoundsLikeTorch() throws {
    let golden = try #require(GoldenFile.load("bfloat16").cases(prefixed: "convert/").first)
    let values = golden.input("x").values
    let expected = golden.output("bf16").values
    let bits = bfloat16Bits(values)
    for index in values.indices {
        let converted = Float(bitPattern: UInt32(bits[index]) << 16)
        #expect(converted.bitPattern == expected[index].bitPattern,
                "bf16(\(values[index])) = \(converted), torch gives \(expected[index])")
    }
}

@Test func conversionKeepsInfinitiesAndQuietsEveryNaN() {
    let specials: [Float] = [.infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
    // Rounding the largest finite Float32 overflows to infinity, as in torch.
    #expect(bfloat16Bits(specials) == [0x7F80, 0xFF80, 0x7F80, 0xFF80])
    // A NaN whose payload would carry into the exponent (or the sign) must stay NaN.
    let nans = [0x7FC0_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7F80_0001, 0x7F80_8000].map { Float(bitPattern: $0) }
    #expect(bfloat16Bits(nans) == [UInt16](repeating: 0x7FC0, count: nans.count))
}

@Test func everyBFloat16ValueSurvivesARoundTrip() {
    let all = (0...UInt16.max).map { $0 }
    var widened = [Float](repeating: 0, count: all.count)
    fledge_bf16_to_f32(all, &widened, all.count)
    for (bits, value) in zip(all, widened) { #expect(value.bitPattern == UInt32(bits) << 16) }
    let back = bfloat16Bits(widened)
    for (bits, again) in zip(all, back) where !widened[Int(bits)].isNaN {
        #expect(again == bits)
    }
}

@Test func storageCopyIsMadeOnceAndDroppedOnWrite() {
    var tensor = Tensor([1, 2.5, -3.25])
    let copy = tensor.storage.bfloat16()
    #expect(tensor.storage.bfloat16() === copy)
    tensor.withUnsafeMutableBufferPointer { $0[0] = 7 }
    #expect(tensor.storage.bfloat16Copy == nil)
    var widened = [Float](repeating: 0, count: 3)
    tensor.storage.bfloat16().widen(into: &widened)
    #expect(widened == [7, 2.5, -3.25])
}

@Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
func bfloat16GEMMBackendsAgreeWithAnExactReference(transposes: (Bool, Bool)) {
    let (transposeA, transposeB) = transposes
    let m = 5, n = 7, k = 33
    var generator = SeededGenerator(seed: 4)
    let sourceA = Tensor.normal([m * k], generator: &generator), sourceB = Tensor.normal([k * n], generator: &generator)
    let a = BFloat16Storage(converting: sourceA.storage.base, count: m * k)
    let b = BFloat16Storage(converting: sourceB.storage.base, count: k * n)
    let wideA = Tensor(uninitializedShape: [m * k]), wideB = Tensor(uninitializedShape: [k * n])
    a.widen(into: wideA.storage.base)
    b.widen(into: wideB.storage.base)
    let lda = transposeA ? m : k, ldb = transposeB ? k : n
    for backend in [GEMM.BFloat16Backend.oneDNN, .widening] where backend == .widening || GEMM.preferredBFloat16Backend == .oneDNN {
        var c = [Float](repeating: 1, count: m * n)
        GEMM.multiplyBFloat16(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 2,
                              a: a.base, lda: lda, b: b.base, ldb: ldb, beta: 0.5, c: &c, ldc: n, backend: backend)
        for row in 0..<m {
            for column in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = wideA.storage.base[transposeA ? p * lda + row : row * lda + p]
                    let y = wideB.storage.base[transposeB ? column * ldb + p : p * ldb + column]
                    sum += Double(x) * Double(y)
                }
                let expected = 2 * sum + 0.5
                #expect(abs(Double(c[row * n + column]) - expected) <= 1e-5 * (1 + abs(expected)),
                        "\(backend) [\(row), \(column)]: \(c[row * n + column]) vs \(expected)")
            }
        }
    }
}
