import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A standalone MongoDB wire server (mongo-java-server on an H2 file) for bench/checkout-cost.sh --external-mongo, so
 * the database runs in its own JVM and its CPU is not counted as Tijori's. Run as a source file with the jar's
 * libraries: {@code java -cp 'libs/lib/*' bench/MongoStandalone.java <host> <port> <file>}. Unlike Tijori's embedded
 * server it does not commit each write before acknowledging it: a bench database, not a durable one.
 */
public class MongoStandalone {

	public static void main(String[] args) throws InterruptedException {
		MongoServer server = new MongoServer(new H2Backend(args[2]));
		server.bind(args[0], Integer.parseInt(args[1]));
		Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
		System.out.println("mongo-java-server listening on " + args[0] + ":" + args[1]);
		new java.util.concurrent.CountDownLatch(1).await();
	}

}
