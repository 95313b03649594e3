#!/usr/bin/python3
"""test_ae_torch.py - the autoencoder kernel (include/baiot/autoencoder.h)
against PyTorch in float64: the same initial weights (baiot's, exported by
the test-only tests/tools/ae_driver.c), the same rows and the same batch
order, one epoch; the final weights, the epoch loss and the per-row scores
agree within 1e-10 relative.  Cases: 115 inputs (N-BaIoT's
115-87-58-38-29-38-58-87-115), 1,000 rows in batches of 32 (a short last
batch of 8), plain SGD with tanh (the default) and with the sigmoid, and Adam
with tanh.  Needs python3-torch (a Debian package: scripts/install-bench-peers);
SKIPS (exit 77) saying so when it is absent."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

TOL = 1e-10


def body(tmp):
    try:
        import numpy as np
        import torch
    except ImportError:
        T.skip('python3-torch is not installed (scripts/install-bench-peers): no PyTorch comparison')
    drv = os.environ.get('BAIOT_AE_DRIVER') or os.path.join(T.SRC, 'build', 'tests', 'ae_driver')
    if not os.access(drv, os.X_OK):
        T.fail('no ae_driver (set BAIOT_AE_DRIVER)')
    torch.set_num_threads(1)
    n, d, batch = 1000, 115, 32
    rs = np.random.RandomState(18)
    # standardised-looking rows on a curved 4-dimensional manifold plus noise
    z = rs.uniform(-1, 1, size=(n, 4))
    mix = rs.normal(size=(4, d))
    x = np.sin(z @ mix) + 0.3 * (z[:, :1] * z[:, 1:2]) + 0.05 * rs.normal(size=(n, d))
    x = (x - x.mean(0)) / x.std(0)
    order = rs.permutation(n).astype(np.int64)
    data, ordf = os.path.join(tmp, 'x.bin'), os.path.join(tmp, 'order.bin')
    x.astype('<f8').tofile(data)
    order.astype('<i8').tofile(ordf)
    for act, opt, lr in (('tanh', 'sgd', 0.05), ('sigmoid', 'sgd', 0.5), ('tanh', 'adam', 1e-3)):
        case = '%s %s lr %g' % (act, opt, lr)
        out = os.path.join(tmp, '%s-%s' % (act, opt))
        os.mkdir(out)
        p = subprocess.run([drv, str(d), str(n), str(batch), repr(lr), '5', act, opt, '1', data, ordf, out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
        T.check(p.returncode == 0, 'ae_driver %s: rc %d: %s' % (case, p.returncode, p.stderr))
        sizes = [int(s) for s in open(os.path.join(out, 'sizes.txt')).read().split()]
        T.check(sizes == [115, 87, 58, 38, 29, 38, 58, 87, 115], 'sizes %s' % sizes)
        w0 = np.fromfile(os.path.join(out, 'init.bin'), dtype='<f8')
        w1 = np.fromfile(os.path.join(out, 'final.bin'), dtype='<f8')
        loss = float(open(os.path.join(out, 'loss.txt')).read().split()[0])
        score = np.fromfile(os.path.join(out, 'score.bin'), dtype='<f8')

        layers, off = [], 0
        for i in range(len(sizes) - 1):
            lin = torch.nn.Linear(sizes[i], sizes[i + 1]).double()
            nw = sizes[i] * sizes[i + 1]
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w0[off:off + nw].reshape(sizes[i + 1], sizes[i]).copy()))
                lin.bias.copy_(torch.from_numpy(w0[off + nw:off + nw + sizes[i + 1]].copy()))
            off += nw + sizes[i + 1]
            layers.append(lin)
            if i < len(sizes) - 2:
                layers.append(torch.nn.Tanh() if act == 'tanh' else torch.nn.Sigmoid())
        T.check(off == len(w0), 'weights %d, layout %d' % (len(w0), off))
        model = torch.nn.Sequential(*layers)
        optim = (torch.optim.SGD(model.parameters(), lr=lr) if opt == 'sgd'
                 else torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8))
        X = torch.from_numpy(x)
        lossf = torch.nn.MSELoss()
        total = 0.0
        for s in range(0, n, batch):
            xb = X[torch.from_numpy(order[s:s + batch])]
            optim.zero_grad()
            lo = lossf(model(xb), xb)
            lo.backward()
            optim.step()
            total += lo.item() * xb.shape[0]
        tloss = total / n
        tw = np.concatenate([t.detach().numpy().ravel() for lin in layers if isinstance(lin, torch.nn.Linear)
                             for t in (lin.weight, lin.bias)])
        with torch.no_grad():
            tscore = ((model(X) - X) ** 2).mean(1).numpy()
        moved = np.abs(tw - w0).max()
        # relative to each weight, floored at 1e-3 of the layer's largest one
        # (biases start at 0)
        rel, off = 0.0, 0
        for i in range(len(sizes) - 1):
            m = sizes[i] * sizes[i + 1] + sizes[i + 1]
            a, b = w1[off:off + m], tw[off:off + m]
            rel = max(rel, float((np.abs(a - b) / np.maximum(np.abs(b), 1e-3 * np.abs(b).max())).max()))
            off += m
        lrel = abs(loss - tloss) / tloss
        srel = float((np.abs(score - tscore) / tscore).max())
        print('%s: weights moved up to %.3g; baiot vs torch: weights %.3g, epoch loss %.3g (%.10g vs %.10g), '
              'scores %.3g relative' % (case, moved, rel, lrel, loss, tloss, srel))
        T.check(moved > 1e-4, '%s: the epoch did not move the weights' % case)
        T.expect('%s: weights within %g relative' % (case, TOL), rel <= TOL, '(%.3g)' % rel)
        T.expect('%s: epoch loss within %g relative' % (case, TOL), lrel <= TOL, '(%.3g)' % lrel)
        T.expect('%s: scores within %g relative' % (case, TOL), srel <= TOL, '(%.3g)' % srel)
        # a different order gives different weights (the order is honoured)
        if act == 'tanh' and opt == 'sgd':
            out2 = os.path.join(tmp, 'shuffled')
            os.mkdir(out2)
            p = subprocess.run([drv, str(d), str(n), str(batch), repr(lr), '5', act, opt, '1', data, '-', out2],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
            T.check(p.returncode == 0, 'ae_driver (own shuffle): %s' % p.stderr)
            w2 = np.fromfile(os.path.join(out2, 'final.bin'), dtype='<f8')
            T.expect('own shuffle gives other weights', np.abs(w2 - w1).max() > 1e-8)


T.main('ae_torch', body)
