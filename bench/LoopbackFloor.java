import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The floor under SSE fan-out on this machine: N loopback TCP connections, one write of a status event's size to
 * each (from W writer threads, as Tijori's event loops do), one reader thread that takes each event off its socket
 * (as the bench client does, minus the JavaScript). Prints the time until the last event was read, p50/p99 of the
 * per-connection read times, and the CPU both sides used. No HTTP, no framework: what the kernel and two cores
 * cost for N writes and N reads.
 *   java bench/LoopbackFloor.java [N] [W] [BYTES]
 */
public class LoopbackFloor {

	public static void main(String[] args) throws Exception {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
		int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		int size = args.length > 2 ? Integer.parseInt(args[2]) : 160;
		ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 4096);
		List<SocketChannel> clients = new ArrayList<>(n);
		List<SocketChannel> accepted = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			SocketChannel client = SocketChannel.open(server.getLocalAddress());
			client.setOption(StandardSocketOptions.TCP_NODELAY, true);
			clients.add(client);
			SocketChannel peer = server.accept();
			peer.setOption(StandardSocketOptions.TCP_NODELAY, true);
			accepted.add(peer);
		}
		Selector selector = Selector.open();
		for (SocketChannel client : clients) {
			client.configureBlocking(false);
			client.register(selector, SelectionKey.OP_READ);
		}
		long[] readAt = new long[n];
		CountDownLatch done = new CountDownLatch(1);
		long[] start = new long[1];
		Thread reader = new Thread(() -> {
			ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
			int left = n;
			try {
				while (left > 0) {
					selector.select();
					for (SelectionKey key : selector.selectedKeys()) {
						buffer.clear();
						int read = ((SocketChannel) key.channel()).read(buffer);
						if (read > 0) {
							readAt[--left] = System.nanoTime();
						}
					}
					selector.selectedKeys().clear();
				}
			}
			catch (Exception ex) {
				ex.printStackTrace();
			}
			done.countDown();
		});
		reader.start();
		Thread.sleep(200);
		byte[] event = new byte[size];
		Arrays.fill(event, (byte) 'x');
		ByteBuffer shared = ByteBuffer.allocateDirect(size).put(event).flip();
		long cpuBefore = cpu();
		start[0] = System.nanoTime();
		Thread[] threads = new Thread[writers];
		for (int w = 0; w < writers; w++) {
			int from = w * n / writers;
			int to = (w + 1) * n / writers;
			threads[w] = new Thread(() -> {
				try {
					for (int i = from; i < to; i++) {
						accepted.get(i).write(shared.duplicate());
					}
				}
				catch (Exception ex) {
					ex.printStackTrace();
				}
			});
			threads[w].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		long written = System.nanoTime() - start[0];
		done.await();
		long cpuMs = (cpu() - cpuBefore) * 10;
		long[] latency = Arrays.stream(readAt).map(at -> at - start[0]).sorted().toArray();
		System.out.printf("{\"connections\":%d,\"writers\":%d,\"bytes\":%d,\"allWrittenMs\":%.1f,\"readP50Ms\":%.1f,"
				+ "\"readP99Ms\":%.1f,\"lastReadMs\":%.1f,\"processCpuMs\":%d}%n", n, writers, size, written / 1e6,
				latency[n / 2] / 1e6, latency[(int) (n * 0.99)] / 1e6, latency[n - 1] / 1e6, cpuMs);
		System.exit(0);
	}

	/** utime + stime of this process, in clock ticks (10 ms). */
	private static long cpu() throws Exception {
		String[] stat = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")))
			.split("\\) ")[1].split(" ");
		return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
	}

}
