import { describe, expect, it } from "vitest";
import { nonPublicReason } from "../../../src/tools/web/address-class.ts";
import { AllowedHosts } from "../../../src/tools/web/allowed-hosts.ts";

describe("the address classifier fetch_url checks every resolved address with", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.0.1", "link-local"],
    ["169.254.169.254", "cloud metadata"],
    ["100.64.0.1", "shared (CGNAT)"],
    ["100.127.255.255", "shared (CGNAT)"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["ff02::1", "multicast"],
    ["fd00:ec2::254", "cloud metadata"],
    ["::ffff:127.0.0.1", "loopback"],
    // Issue 10 hostile pass: the IPv4-translated form, NAT64 local use and Teredo.
    ["::ffff:0:127.0.0.1", "loopback"],
    ["::ffff:0:169.254.169.254", "cloud metadata"],
    ["::ffff:0:10.0.0.1", "private"],
    ["64:ff9b:1::10.0.0.1", "private"],
    ["64:ff9b:1::8.8.8.8", "reserved"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "cloud metadata"],
    ["::ffff:10.1.2.3", "private"],
    ["[::1]", "loopback"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["not-an-ip", "reserved"],
  ])("%s is %s", (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "11.0.0.1",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "fe00::1",
    "2002:808:808::",
  ])("%s is public", (address) => {
    expect(nonPublicReason(address)).toBeUndefined();
  });
});

describe("web.allowHosts", () => {
  it("matches names and IPs whatever the port, and CIDR ranges, and nothing else", () => {
    const allowed = new AllowedHosts(["127.0.0.1:8080", "Intranet.Example", "[::1]:3000", "10.8.0.0/16"]);
    expect(allowed.allows("127.0.0.1", "127.0.0.1")).toBe(true);
    expect(allowed.allows("127.0.0.2", "127.0.0.2")).toBe(false);
    expect(allowed.allows("intranet.example", "10.9.9.9")).toBe(true);
    expect(allowed.allows("::1", "::1")).toBe(true);
    expect(allowed.allows("vpn-host", "10.8.3.4")).toBe(true);
    expect(allowed.allows("vpn-host", "10.9.3.4")).toBe(false);
    expect(allowed.allows("localhost", "::1")).toBe(true);
    expect(new AllowedHosts(["127.0.0.1"]).allows("localhost", "::1")).toBe(false);
  });
});
