"""The FLOPs count behind the roofline, with exact numbers."""

from __future__ import annotations

import pytest

from ingest.roofline import Encoder, flops_per_token, matmul_peak


def test_minilm_flops_per_token_at_256() -> None:
    # 6 * 2 * (4*384^2 + 2*384*1536 + 2*256*384) = 6 * 2 * 1,966,080 = 23,592,960
    assert flops_per_token(256) == 23_592_960.0


def test_flops_grow_with_sequence_only_through_attention() -> None:
    assert flops_per_token(128) == 23_592_960.0 - 6 * 2 * 2 * 128 * 384
    assert flops_per_token(1, Encoder(layers=1, hidden=2, ffn=4)) == 2 * (16 + 16 + 4)


@pytest.mark.parametrize("bad", [0, -5])
def test_bad_sequence_length(bad: int) -> None:
    with pytest.raises(ValueError, match="seq_len"):
        flops_per_token(bad)


def test_matmul_peak_is_measured_and_rejects_unknown_dtypes() -> None:
    assert matmul_peak("fp32", seconds=0.05, threads=1) > 1e8  # any CPU does 0.1 GFLOP/s
    with pytest.raises(ValueError, match="dtype"):
        matmul_peak("fp8")


def test_padded_tokens_sort_then_pad_each_batch_to_its_longest() -> None:
    from ingest.roofline import padded_tokens, padding_waste

    # sorted: 10 9 | 3 2 | 1 -> 10*2 + 3*2 + 1*1 = 27 computed for 25 real tokens
    assert padded_tokens([3, 10, 1, 9, 2], 2) == 27
    assert padded_tokens([], 4) == 0
    # two calls of one short and one long text pad more than one call holding all four
    apart = padding_waste([[2, 10], [3, 9]], 2)
    together = padding_waste([[2, 10, 3, 9]], 2)
    assert apart == pytest.approx(1 - 24 / 38) and together == pytest.approx(1 - 24 / 26)
    assert together < apart
    with pytest.raises(ValueError, match="batch_size"):
        padded_tokens([1], 0)


def test_half_precision_peaks_need_the_matching_device() -> None:
    with pytest.raises(ValueError, match="fp16"):
        matmul_peak("fp16", seconds=0.01)  # no fp16 kernels worth measuring on the CPU
