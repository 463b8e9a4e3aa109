"""The Lynx LapTime parser: pure Python, fed the protocol's own sample packets and worse."""
import pytest

from timing.devices.lynx import (
    DAY_MS, Malformed, Packet, Parser, format_time_of_day, packet, parse_time_of_day, since,
)

Z = b"\x01Z,13:23:15.345\r\n"
S = b"\x01S,13:24:12.876,2\r\n"


def packets(*reads):
    parser = Parser()
    out = []
    for data in reads:
        out += parser.feed(data)
    return out + parser.close()


def test_it_reads_the_protocols_sample_packets():
    assert packets(Z + S) == [
        Packet("Z", parse_time_of_day("13:23:15.345")),
        Packet("S", parse_time_of_day("13:24:12.876"), "2"),
    ]
    assert since(packets(Z)[0].time_ms, packets(S)[0].time_ms) == 57531


@pytest.mark.parametrize("eot", [b"\r", b"\n", b"\r\n"])
def test_it_accepts_every_end_of_packet(eot):
    assert [p.opcode for p in packets(Z.replace(b"\r\n", eot) + S.replace(b"\r\n", eot))] == ["Z", "S"]


def test_it_tells_synced_from_unsynced_packets():
    synced, unsynced = packets(Z, b"\x02" + Z[1:])
    assert (synced.synced, unsynced.synced) == (True, False)
    assert synced.time_ms == unsynced.time_ms


def test_it_reassembles_packets_split_across_reads():
    stream = Z + S
    for cut in range(1, len(stream)):
        assert packets(stream[:cut], stream[cut:]) == packets(stream), cut
    assert packets(*[bytes([b]) for b in stream]) == packets(stream)


def test_it_reads_the_optional_event_round_and_heat():
    (p,) = packets(b"\x01S,13:24:12.876,1,7,2,3\n")
    assert (p.identifier, p.event, p.round, p.heat) == ("1", "7", "2", "3")


def test_it_reads_a_time_sync_packet():
    assert packets(b"\x01T,13:20:00.000\r\n") == [Packet("T", 13 * 3600 * 1000 + 20 * 60 * 1000)]


@pytest.mark.parametrize("raw,reason", [
    (b"\x01X,13:23:15.345\r\n", "unknown opcode"),
    (b"\x01Z,13:61:15.345\r\n", "not a time of day"),
    (b"\x01Z,25:00:00.000\r\n", "not a time of day"),
    (b"\x01Z,noon\r\n", "not a time of day"),
    (b"\x01S,13:24:12.876\r\n", "needs an identifier"),
    (b"\x01S,13:24:12.876,1,7\r\n", "fields"),
    (b"\x01S,13:24:12.876,\xff\r\n", "not ASCII"),
    (b"garbage\r\n", "outside a packet"),
    (b"\x01Z,13:23:15.345\x01", "no end of packet"),
    (b"\x01" + b"9" * 300 + b"\r\n", "too long"),
])
def test_it_reports_malformed_packets_and_carries_on(raw, reason):
    out = packets(raw + S)
    assert isinstance(out[0], Malformed) and reason in out[0].reason, out
    assert out[-1] == Packet("S", parse_time_of_day("13:24:12.876"), "2")


def test_a_connection_ending_inside_a_packet_is_reported():
    (bad,) = packets(b"\x01S,13:24:1")
    assert isinstance(bad, Malformed) and "connection ended" in bad.reason


def test_times_of_day_truncate_ten_thousandths_and_round_trip():
    assert parse_time_of_day("13:24:12.8769") == parse_time_of_day("13:24:12.876")
    assert parse_time_of_day("9:05:01.5") == (9 * 3600 + 5 * 60 + 1) * 1000 + 500
    for ms in (0, 1, 48195345, DAY_MS - 1):
        assert parse_time_of_day(format_time_of_day(ms)) == ms


def test_a_race_may_run_across_midnight():
    assert since(parse_time_of_day("23:59:50.000"), parse_time_of_day("00:01:02.310")) == 72310


def test_the_packet_helper_writes_what_the_parser_reads():
    assert packet("Z", parse_time_of_day("13:23:15.345")) == Z
    assert packet("S", parse_time_of_day("13:24:12.876"), 2) == S
