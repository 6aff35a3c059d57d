#!/usr/bin/env bash
# sendfile vs read-write across a veth pair into a network namespace, with the sending interface's scatter-gather
# on, then off. Loopback always has scatter-gather and cannot switch it off; a veth pair can.
#
#   sudo scripts/sg-veth.sh [--out DIR] [zc demo options, e.g. --size 256m --rounds 3]
#
# Creates namespace zc-sg and interfaces zc-veth0 (here, 10.203.0.1) / zc-veth1 (in zc-sg, 10.203.0.2), runs
# `zc demo --strategies sendfile-gather,read-write` twice with the receivers inside the namespace, and removes
# everything on exit. With --out DIR it also writes DIR/sg-on.json and DIR/sg-off.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ns=zc-sg; dev=zc-veth0; peer=zc-veth1; here=10.203.0.1; there=10.203.0.2
out=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "sg-veth.sh: must run as root (it creates a network namespace and a veth pair)" >&2
  exit 3
fi
for tool in ip ethtool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "sg-veth.sh: needs $tool (apt-get install iproute2 ethtool)" >&2; exit 3; }
done

cleanup() {
  ip link del "$dev" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
cleanup

ip netns add "$ns"
ip link add "$dev" type veth peer name "$peer"
ip link set "$peer" netns "$ns"
ip addr add "$here/24" dev "$dev"
ip link set "$dev" up
ip -n "$ns" addr add "$there/24" dev "$peer"
ip -n "$ns" link set "$peer" up
ip -n "$ns" link set lo up

[ -n "$out" ] && mkdir -p "$out"
for sg in on off; do
  ethtool -K "$dev" sg "$sg" >/dev/null 2>&1 || { echo "sg-veth.sh: cannot set scatter-gather $sg on $dev" >&2; exit 1; }
  echo "== $dev scatter-gather $sg"
  json=()
  [ -n "$out" ] && json=(--json "$out/sg-$sg.json")
  "$root/scripts/zc" demo --strategies sendfile-gather,read-write --host "$there" --receiver-netns "$ns" \
    ${json[@]+"${json[@]}"} ${args[@]+"${args[@]}"}
  echo
done
