import FledgeNN
import FledgeOptim
import FledgeTensor
import Testing

/// The pieces together, as a trainer uses them: a small classifier learns, and the optimizer
/// writes into the parameters' own storage (a copy would mean something still holds the old values).
@Test func adamTrainsASmallModelInPlace() {
    var generator = SeededGenerator(seed: 1)
    let inputs = Tensor.normal([32, 4], generator: &generator)
    let targets = IndexTensor((0..<32).map { inputs[$0, 0] + inputs[$0, 1] > 0 ? 1 : 0 })
    let model = MLP(inputSize: 4, layers: [16], outputSize: 2, seed: 3)
    let optimizer = AdamW(ParameterGroup.weightDecayGroups(model.namedParameters, weightDecay: 0.01), learningRate: 0.05)
    let scheduler = LRScheduler(optimizer: optimizer, schedule: CosineWarmupSchedule(warmupSteps: 5, totalSteps: 60))
    let storages = model.parameters.map { ObjectIdentifier($0.value.storage) }
    var losses: [Float] = []
    for _ in 0..<60 {
        optimizer.zeroGradients()
        let loss = crossEntropy(model(inputs), targets: targets)
        loss.backward()
        clipGradientsByGlobalNorm(optimizer.parameters, maxNorm: 5)
        optimizer.step()
        scheduler.step()
        losses.append(loss.item)
    }
    #expect(losses.last! < 0.5 * losses.first!, "loss went from \(losses.first!) to \(losses.last!)")
    #expect(model.parameters.map { ObjectIdentifier($0.value.storage) } == storages)
}
