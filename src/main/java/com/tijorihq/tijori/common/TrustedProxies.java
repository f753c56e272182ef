package com.tijorihq.tijori.common;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import reactor.netty.http.server.ConnectionInfo;

/**
 * Which peers may speak for a client in {@code X-Forwarded-*}, and what a request's client address is under that
 * rule: when the connection comes from a trusted proxy, {@code X-Forwarded-For} is read from the right and the
 * first entry that is not itself a trusted proxy is the client. The leftmost entry is whatever the client chose
 * to send and is never believed on its own; a peer that is no trusted proxy has its headers ignored altogether.
 */
public final class TrustedProxies {

	private static final Pattern PROTO = Pattern.compile("https?", Pattern.CASE_INSENSITIVE);

	private final List<Cidr> ranges;

	TrustedProxies(List<String> cidrs) {
		this.ranges = cidrs.stream().filter(cidr -> !cidr.isBlank()).map(Cidr::parse).toList();
	}

	/** For Reactor Netty's {@code HttpServer.forwarded(...)}. */
	ConnectionInfo apply(ConnectionInfo connection, HttpRequest request) {
		InetSocketAddress peer = connection.getRemoteAddress();
		if (peer == null || !trusted(peer.getAddress())) {
			return connection;
		}
		ConnectionInfo resolved = connection;
		InetAddress client = client(peer.getAddress(), request.headers().getAll("X-Forwarded-For"));
		if (client != peer.getAddress()) {
			resolved = resolved.withRemoteAddress(new InetSocketAddress(client, peer.getPort()));
		}
		String proto = last(request.headers().get("X-Forwarded-Proto"));
		if (proto != null && PROTO.matcher(proto).matches()) {
			resolved = resolved.withScheme(proto.toLowerCase(Locale.ROOT));
		}
		return resolved;
	}

	/** The client behind {@code peer} as the trusted part of the {@code X-Forwarded-For} chain tells. */
	InetAddress client(InetAddress peer, List<String> forwardedFor) {
		if (!trusted(peer)) {
			return peer;
		}
		InetAddress client = peer;
		List<String> hops = forwardedFor.stream().flatMap(value -> java.util.Arrays.stream(value.split(","))).toList();
		for (int i = hops.size() - 1; i >= 0; i--) {
			InetAddress hop = address(hops.get(i).trim());
			if (hop == null) {
				// a hop that is no address was written by the client (or a broken proxy): stop believing here
				return client;
			}
			client = hop;
			if (!trusted(hop)) {
				return hop;
			}
		}
		return client;
	}

	boolean trusted(InetAddress address) {
		return this.ranges.stream().anyMatch(range -> range.contains(address));
	}

	private static String last(String value) {
		if (value == null) {
			return null;
		}
		String[] parts = value.split(",");
		return parts[parts.length - 1].trim();
	}

	/** An IP literal (IPv6 possibly bracketed, IPv4 possibly with a port); never a DNS lookup. */
	private static InetAddress address(String hop) {
		String literal = hop;
		if (literal.startsWith("[") && literal.indexOf(']') > 0) {
			literal = literal.substring(1, literal.indexOf(']'));
		}
		else if (literal.indexOf(':') > 0 && literal.indexOf(':') == literal.lastIndexOf(':')) {
			literal = literal.substring(0, literal.indexOf(':'));
		}
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
		if (bytes == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private record Cidr(byte[] network, int bits) {

		static Cidr parse(String cidr) {
			String[] parts = cidr.trim().split("/", 2);
			InetAddress address = address(parts[0]);
			if (address == null) {
				throw new IllegalArgumentException("Not an IP address or CIDR range: " + cidr);
			}
			int max = address.getAddress().length * 8;
			int bits = (parts.length == 2) ? Integer.parseInt(parts[1]) : max;
			if (bits < 0 || bits > max) {
				throw new IllegalArgumentException("Bad prefix length in " + cidr);
			}
			return new Cidr(address.getAddress(), bits);
		}

		boolean contains(InetAddress address) {
			byte[] candidate = address.getAddress();
			if (candidate.length != this.network.length) {
				return false;
			}
			for (int bit = 0; bit < this.bits; bit++) {
				int mask = 0x80 >> (bit % 8);
				if ((candidate[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}

	}

}
