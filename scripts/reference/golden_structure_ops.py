"""Golden values for the structural ops (matmul, linear, shaping, indexing).

Run: /tmp/peers-venv/bin/python scripts/reference/golden_structure_ops.py
Writes Tests/Fixtures/golden/structure_ops.json, read by the FledgeTensorTests golden tests.
Gradients are taken with a random upstream gradient `dout`, so every output element counts.
"""
import torch

from golden_common import case, fixed_generator, write_fixture

g = fixed_generator(2024)


def rand(*shape):
    return torch.rand(tuple(shape), generator=g, dtype=torch.float32) * 2 - 1


def with_grads(fn, inputs, names):
    leaves = [t.clone().requires_grad_(True) for t in inputs]
    out = fn(*leaves)
    dout = rand(*out.shape)
    out.backward(dout)
    grads = {f"d{name}": leaf.grad for name, leaf in zip(names, leaves)}
    return out.detach(), dout, grads


cases = []

matmul_shapes = [
    ([3], [3]), ([3], [3, 4]), ([2, 3], [3]), ([2, 3], [3, 4]),
    ([2, 2, 3], [3, 4]), ([3], [2, 3, 4]), ([2, 2, 3], [3]), ([2, 2, 3], [2, 3, 4]),
    ([2, 1, 2, 3], [3, 3, 2]), ([2, 3], [2, 3, 2]),
]
for lhs, rhs in matmul_shapes:
    a, b = rand(*lhs), rand(*rhs)
    out, dout, grads = with_grads(torch.matmul, [a, b], ["a", "b"])
    name = "matmul_" + "x".join(map(str, lhs)) + "_" + "x".join(map(str, rhs))
    cases.append(case(name, {"a": a, "b": b, "dout": dout}, {"out": out, **grads}))

for rows_shape in ([4, 3], [2, 2, 3]):
    for has_bias in (True, False):
        for activation in ("identity", "relu"):
            x, w, b = rand(*rows_shape), rand(5, 3), rand(5)

            def fn(x, w, b=None):
                y = torch.nn.functional.linear(x, w, b)
                return torch.relu(y) if activation == "relu" else y

            inputs, names = ([x, w, b], ["x", "w", "b"]) if has_bias else ([x, w], ["x", "w"])
            out, dout, grads = with_grads(fn, inputs, names)
            name = f"linear_{'x'.join(map(str, rows_shape))}_{'bias' if has_bias else 'nobias'}_{activation}"
            cases.append(case(name, {"x": x, "w": w, "b": b, "dout": dout}, {"out": out, **grads},
                              bias=has_bias, activation=activation))

x = rand(3, 4)
index = torch.tensor([[3, 0], [1, 1], [2, 0]])
out, dout, grads = with_grads(lambda t: torch.gather(t, 1, index), [x], ["x"])
cases.append(case("gather_axis1", {"x": x, "index": index, "dout": dout}, {"out": out, **grads}, axis=1))

x, src = rand(3, 4), rand(2, 4)
index = torch.tensor([[2, 0, 2, 1], [1, 0, 0, 2]])
out, dout, grads = with_grads(lambda t, s: torch.scatter_add(t, 0, index, s), [x, src], ["x", "source"])
cases.append(case("scatter_add_axis0", {"x": x, "source": src, "index": index, "dout": dout},
                  {"out": out, **grads}, axis=0))

x = rand(3, 2, 2)
index = torch.tensor([2, 0, 2, 1])
out, dout, grads = with_grads(lambda t: torch.index_select(t, 0, index), [x], ["x"])
cases.append(case("index_select_axis0", {"x": x, "index": index, "dout": dout}, {"out": out, **grads}, axis=0))

x = rand(3, 5)
values, indices = torch.topk(x, 3, dim=1)
out, dout, grads = with_grads(lambda t: torch.topk(t, 3, dim=1).values, [x], ["x"])
cases.append(case("topk_largest_axis1", {"x": x, "dout": dout}, {"values": values, "indices": indices, **grads},
                  k=3, axis=1, largest=True))
values, indices = torch.topk(x, 2, dim=0, largest=False)
out, dout, grads = with_grads(lambda t: torch.topk(t, 2, dim=0, largest=False).values, [x], ["x"])
cases.append(case("topk_smallest_axis0", {"x": x, "dout": dout}, {"values": values, "indices": indices, **grads},
                  k=2, axis=0, largest=False))

condition = (rand(3, 1) > 0).float()
a, b = rand(3, 4), rand(4)
out, dout, grads = with_grads(lambda p, q: torch.where(condition != 0, p, q), [a, b], ["a", "b"])
cases.append(case("where_broadcast", {"condition": condition, "a": a, "b": b, "dout": dout}, {"out": out, **grads}))

a, b = rand(2, 3), rand(2, 2)
out, dout, grads = with_grads(lambda p, q: torch.cat([p, q], dim=1), [a, b], ["a", "b"])
cases.append(case("cat_axis1", {"a": a, "b": b, "dout": dout}, {"out": out, **grads}, axis=1))

a, b = rand(2, 3), rand(2, 3)
out, dout, grads = with_grads(lambda p, q: torch.stack([p, q], dim=1), [a, b], ["a", "b"])
cases.append(case("stack_axis1", {"a": a, "b": b, "dout": dout}, {"out": out, **grads}, axis=1))

x = rand(2, 3, 4)
for axes in ([2, 0, 1], [0, 2, 1], [1, 0, 2]):
    out, dout, grads = with_grads(lambda t: t.permute(*axes), [x], ["x"])
    cases.append(case("permute_" + "".join(map(str, axes)), {"x": x, "dout": dout}, {"out": out, **grads},
                      axes=axes))

write_fixture("structure_ops", "scripts/reference/golden_structure_ops.py", cases)
