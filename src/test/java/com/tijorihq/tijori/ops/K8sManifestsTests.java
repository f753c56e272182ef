package com.tijorihq.tijori.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes base in {@code k8s/}, parsed offline into fabric8's typed models and checked against the
 * application it deploys: probe paths answer, every variable is documented and bound, the image is the one the
 * build makes, and the pod is hardened. No cluster needed.
 */
@IntegrationTest
class K8sManifestsTests {

	private static final Path K8S = Path.of("k8s");

	/** Variables Spring Boot itself reads. */
	private static final Set<String> SPRING_VARIABLES = Set.of("SPRING_PROFILES_ACTIVE");

	private static final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

	private static JsonNode kustomization;

	private static List<HasMetadata> resources;

	private static Secret secretTemplate;

	@Autowired
	ApiClients clients;

	@Autowired
	Environment environment;

	@BeforeAll
	static void parseManifests() throws IOException {
		kustomization = yaml.readTree(K8S.resolve("kustomization.yaml").toFile());
		KubernetesSerialization serialization = new KubernetesSerialization();
		resources = new ArrayList<>();
		for (JsonNode file : kustomization.path("resources")) {
			try (InputStream in = Files.newInputStream(K8S.resolve(file.asText()))) {
				resources.add(serialization.unmarshal(in));
			}
		}
		try (InputStream in = Files.newInputStream(K8S.resolve("secret.template.yaml"))) {
			secretTemplate = serialization.unmarshal(in, Secret.class);
		}
	}

	@Test
	void kustomizationListsEveryManifestButNeverTheSecretTemplate() throws IOException {
		Set<String> listed = new LinkedHashSet<>();
		kustomization.path("resources").forEach(node -> listed.add(node.asText()));
		try (Stream<Path> files = Files.list(K8S)) {
			Set<String> manifests = new LinkedHashSet<>(files.map(p -> p.getFileName().toString())
				.filter(name -> name.endsWith(".yaml"))
				.filter(name -> !name.equals("kustomization.yaml") && !name.equals("secret.template.yaml"))
				.toList());
			assertThat(listed).containsExactlyInAnyOrderElementsOf(manifests);
		}
		// applying the base must never overwrite the operator's real Secret with blanks
		assertThat(listed).doesNotContain("secret.template.yaml");
		assertThat(kustomization.path("namespace").asText()).isEqualTo(one(Namespace.class).getMetadata().getName());
		assertThat(resources).extracting(HasMetadata::getKind)
			.contains("Namespace", "ServiceAccount", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler",
					"PodDisruptionBudget", "Ingress", "NetworkPolicy");
	}

	/**
	 * Where {@code kubectl} is installed, its kustomize renders the base into exactly the resources parsed above,
	 * each in the base's namespace, and an overlay adding the {@code monitoring} component adds the PodMonitor.
	 * Elsewhere (CI has no kubectl) the offline checks of this class stand alone.
	 */
	@Test
	void kubectlKustomizeRendersTheBaseAndTheMonitoringComponent() throws Exception {
		assumeTrue(onPath("kubectl"), "kubectl is not installed");
		List<JsonNode> base = kustomize(K8S);
		assertThat(base).extracting(doc -> doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText())
			.containsExactlyInAnyOrderElementsOf(
					resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList());
		String namespace = kustomization.path("namespace").asText();
		assertThat(base).filteredOn(doc -> !doc.path("kind").asText().equals("Namespace"))
			.allSatisfy(doc -> assertThat(doc.at("/metadata/namespace").asText()).isEqualTo(namespace));

		Path overlay = Files.createDirectories(Path.of("target", "k8s-overlay"));
		Files.writeString(overlay.resolve("kustomization.yaml"),
				"resources:\n  - ../../k8s\ncomponents:\n  - ../../k8s/monitoring\n");
		assertThat(kustomize(overlay)).filteredOn(doc -> doc.path("kind").asText().equals("PodMonitor"))
			.singleElement()
			.satisfies(doc -> assertThat(doc.at("/metadata/namespace").asText()).isEqualTo(namespace));
	}

	private static List<JsonNode> kustomize(Path directory) throws Exception {
		Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		List<JsonNode> documents = new ArrayList<>();
		try (var parser = yaml.getFactory().createParser(output)) {
			yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
		}
		return documents;
	}

	private static boolean onPath(String command) {
		return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
			.anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
	}

	@Test
	void probePathsAnswer200OnTheRunningApp() {
		Container container = container();
		List<Probe> probes = List.of(container.getStartupProbe(), container.getLivenessProbe(),
				container.getReadinessProbe());
		// Boot's additional probe paths on the main port; the actuator itself is on the management port
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
		assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/livez");
		for (Probe probe : probes) {
			assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
			String path = probe.getHttpGet().getPath();
			// readiness waits for the start-up tasks, which finish moments after the context is up
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> this.clients.anonymous()
					.get(path)
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo("UP"));
		}
		assertThat(container.getPorts()).extracting(ContainerPort::getName).containsExactly("http", "management");
		assertThat(String.valueOf(containerPort("http"))).isEqualTo(one(ConfigMap.class).getData().get("PORT"));
	}

	@Test
	void prometheusScrapesTheManagementPortWhichOnlyTheMonitoringNamespaceReaches() throws IOException {
		Map<String, String> config = one(ConfigMap.class).getData();
		int management = containerPort("management");
		assertThat(config.get("MANAGEMENT_SERVER_PORT")).isEqualTo(String.valueOf(management));
		assertThat(management).isNotEqualTo(containerPort("http"));
		assertThat(this.environment.getProperty("management.server.port")).as("tests run it on a port of its own")
			.isEqualTo("0");

		// plain Prometheus: annotations on the pod
		Map<String, String> annotations = deployment().getSpec().getTemplate().getMetadata().getAnnotations();
		assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/port", String.valueOf(management));
		String path = annotations.get("prometheus.io/path");
		this.clients.management()
			.get(path)
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge"));

		// the Prometheus Operator: a PodMonitor in the monitoring/ component
		JsonNode component = yaml.readTree(K8S.resolve("monitoring/kustomization.yaml").toFile());
		assertThat(component.path("kind").asText()).isEqualTo("Component");
		JsonNode podMonitor = yaml.readTree(K8S.resolve("monitoring").resolve(component.at("/resources/0").asText())
			.toFile());
		assertThat(podMonitor.path("kind").asText()).isEqualTo("PodMonitor");
		assertThat(podMonitor.at("/metadata/namespace").asText()).isEqualTo(kustomization.path("namespace").asText());
		Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata().getLabels();
		podMonitor.at("/spec/selector/matchLabels")
			.fields()
			.forEachRemaining(label -> assertThat(podLabels).containsEntry(label.getKey(), label.getValue().asText()));
		assertThat(podMonitor.at("/spec/podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
			assertThat(endpoint.path("port").asText()).isEqualTo("management");
			assertThat(endpoint.path("path").asText()).isEqualTo(path);
		});

		// the NetworkPolicy lets the monitoring namespace in on the management port, and only there
		assertThat(ingressRule("monitoring").getPorts()).singleElement()
			.satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(management));
	}

	@Test
	void everyVariableIsDocumentedInEnvExampleAndBoundByTheApp() throws IOException {
		Set<String> names = new LinkedHashSet<>(one(ConfigMap.class).getData().keySet());
		names.addAll(secretTemplate.getStringData().keySet());
		container().getEnv().forEach(env -> names.add(env.getName()));
		Set<String> documented = matches(Files.readString(Path.of(".env.example")), "(?m)^#?\\s*([A-Z][A-Z0-9_]*)=");
		String config;
		try (Stream<Path> files = Files.list(Path.of("src/main/resources"))) {
			StringBuilder all = new StringBuilder();
			for (Path file : files.filter(p -> p.getFileName().toString().startsWith("application")).toList()) {
				all.append(Files.readString(file));
			}
			config = all.toString();
		}
		Set<String> bound = matches(config, "\\$\\{([A-Z][A-Z0-9_]*)");
		bound.addAll(SPRING_VARIABLES);
		for (String name : names) {
			assertThat(documented).as("%s documented in .env.example", name).contains(name);
			assertThat(bound).as("%s bound in application.yml", name).contains(name);
		}
		assertThat(secretTemplate.getStringData()).containsKeys("MONGODB_URI", "RAZORPAY_KEY_ID",
				"RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET", "TIJORI_ADMIN_EMAIL", "TIJORI_ADMIN_PASSWORD");
		assertThat(container().getEnvFrom()).extracting(from -> from.getConfigMapRef() != null
				? from.getConfigMapRef().getName() : from.getSecretRef().getName())
			.containsExactlyInAnyOrder(one(ConfigMap.class).getMetadata().getName(),
					secretTemplate.getMetadata().getName());
	}

	@Test
	void secretTemplateHoldsNoValues() {
		assertThat(secretTemplate.getData()).isNullOrEmpty();
		assertThat(secretTemplate.getStringData()).isNotEmpty().allSatisfy((key, value) -> assertThat(value).isEmpty());
		Set<String> secretNames = secretTemplate.getStringData().keySet();
		assertThat(one(ConfigMap.class).getData().keySet()).doesNotContainAnyElementsOf(secretNames);
		assertThat(container().getEnv()).noneMatch(env -> env.getValue() != null && !env.getValue().isEmpty()
				&& secretNames.contains(env.getName()));
	}

	@Test
	void imageIsTheOneJibBuilds() throws Exception {
		Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		String imageName = text(pom.getDocumentElement(), "properties", "image.name");
		Element jib = jib();
		Element profile = (Element) jib.getParentNode().getParentNode().getParentNode();
		assertThat(text(profile, "id")).isEqualTo("image");
		assertThat(text(jib, "configuration", "from", "image")).isEqualTo("eclipse-temurin:17-jre");
		assertThat(text(jib, "configuration", "to", "image")).isEqualTo("${image.name}:${project.version}");
		String user = text(jib, "configuration", "container", "user");
		assertThat(text(jib, "configuration", "container", "ports").split("\\s+")).containsExactly(
				String.valueOf(containerPort("http")), String.valueOf(containerPort("management")));
		assertThat(text(jib, "configuration", "container", "environment", "MANAGEMENT_SERVER_PORT"))
			.isEqualTo(String.valueOf(containerPort("management")));
		assertThat(jvmFlags(jib)).contains("-XX:+ExitOnOutOfMemoryError");

		String image = container().getImage();
		assertThat(image.substring(0, image.lastIndexOf(':'))).isEqualTo(imageName);
		assertThat(kustomization.path("images")).anySatisfy(node -> assertThat(node.path("name").asText())
			.isEqualTo(imageName));
		PodSpec pod = deployment().getSpec().getTemplate().getSpec();
		assertThat(user).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext()
			.getRunAsGroup());
	}

	/**
	 * The container's memory limit holds the heap and everything the JVM needs beside it, each capped by a flag of
	 * the image (the arithmetic of k8s/README.md, "Memory"): a JVM that outgrows its limit is OOM-killed without a
	 * heap dump or a log line, so the sum must fit with room to spare.
	 */
	@Test
	void memoryLimitHoldsHeapMetaspaceCodeCacheDirectMemoryAndThreads() throws Exception {
		Element jib = jib();
		Map<String, String> flags = new java.util.HashMap<>();
		for (String flag : jvmFlags(jib)) {
			Matcher matcher = Pattern.compile("-(?:XX:)?([A-Za-z]+?)=?(\\d+[kmg]?)").matcher(flag);
			if (matcher.matches()) {
				flags.put(matcher.group(1), matcher.group(2));
			}
		}
		long limit = Quantity.getAmountInBytes(container().getResources().getLimits().get("memory")).longValue();
		long heap = limit * Long.parseLong(flags.get("MaxRAMPercentage")) / 100;
		long metaspace = bytes(flags.get("MaxMetaspaceSize"));
		long codeCache = bytes(flags.get("ReservedCodeCacheSize"));
		long direct = bytes(flags.get("MaxDirectMemorySize"));
		long threads = THREAD_BUDGET * bytes(flags.get("Xss"));
		long jvmOwn = JVM_OVERHEAD_MIB << 20;
		long total = heap + metaspace + codeCache + direct + threads + jvmOwn;
		assertThat(total).as("heap %d + metaspace %d + code %d + direct %d + %d stacks %d + JVM %d MiB of %d MiB",
				heap >> 20, metaspace >> 20, codeCache >> 20, direct >> 20, THREAD_BUDGET, threads >> 20,
				JVM_OVERHEAD_MIB, limit >> 20)
			.isLessThanOrEqualTo(limit * 95 / 100);
		assertThat(heap).as("heap").isGreaterThanOrEqualTo(512L << 20);
		String readme = Files.readString(K8S.resolve("README.md"));
		assertThat(readme).contains("| **total** | | **" + (total >> 20) + " MiB** |", (limit >> 20) + " MiB");
	}

	/** Live threads the budget allows for (Tijori ran 46 on one CPU; see README.md, "Memory"). */
	private static final long THREAD_BUDGET = 128;

	/** GC structures, symbol tables, compiler arenas and other native memory of the JVM itself. */
	private static final long JVM_OVERHEAD_MIB = 128;

	private static long bytes(String size) {
		long amount = Long.parseLong(size.replaceAll("[kmg]$", ""));
		return switch (size.charAt(size.length() - 1)) {
			case 'k' -> amount << 10;
			case 'm' -> amount << 20;
			case 'g' -> amount << 30;
			default -> amount;
		};
	}

	private static Element jib() throws Exception {
		Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		var plugins = pom.getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			Element plugin = (Element) plugins.item(i);
			if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
				return plugin;
			}
		}
		throw new AssertionError("jib-maven-plugin in pom.xml");
	}

	private static List<String> jvmFlags(Element jib) {
		List<String> flags = new ArrayList<>();
		var nodes = jib.getElementsByTagName("jvmFlag");
		for (int i = 0; i < nodes.getLength(); i++) {
			flags.add(nodes.item(i).getTextContent().trim());
		}
		return flags;
	}

	@Test
	void podIsHighlyAvailableAndHardened() {
		Deployment deployment = deployment();
		// the HPA owns the replica count: a replicas field would reset it to that number on every apply
		assertThat(deployment.getSpec().getReplicas()).isNull();
		assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
		PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		assertThat(pod.getAutomountServiceAccountToken()).isFalse();
		assertThat(pod.getServiceAccountName()).isEqualTo(one(ServiceAccount.class).getMetadata().getName());
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
		assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
		Container container = container();
		var security = container.getSecurityContext();
		assertThat(security.getRunAsNonRoot()).isTrue();
		assertThat(security.getRunAsUser()).isPositive();
		assertThat(security.getReadOnlyRootFilesystem()).isTrue();
		assertThat(security.getAllowPrivilegeEscalation()).isFalse();
		assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
		assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
			assertThat(mount.getMountPath()).isEqualTo("/tmp");
			assertThat(pod.getVolumes()).anySatisfy(volume -> {
				assertThat(volume.getName()).isEqualTo(mount.getName());
				assertThat(volume.getEmptyDir()).isNotNull();
			});
		});
		// Guaranteed QoS: every request equals its limit
		assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
		assertThat(container.getResources().getRequests()).isEqualTo(container.getResources().getLimits());
		assertThat(one(Namespace.class).getMetadata().getLabels())
			.containsEntry("pod-security.kubernetes.io/enforce", "restricted");

		HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
		assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
		PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
		assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
		assertThat(pdb.getSpec().getMinAvailable()).isNull();
		Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
		assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
		assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
		Service service = one(Service.class);
		assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
		// the only Service port leads to the main port: nothing routed through a Service reaches the actuator
		assertThat(service.getSpec().getPorts()).singleElement()
			.satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));
	}

	@Test
	void gracePeriodOutlastsPreStopAndGracefulShutdown() {
		PodSpec pod = deployment().getSpec().getTemplate().getSpec();
		long preStop = container().getLifecycle().getPreStop().getSleep().getSeconds();
		Duration manifestTimeout = DurationStyle.detectAndParse(one(ConfigMap.class).getData()
			.get("TIJORI_SHUTDOWN_TIMEOUT"));
		Duration appTimeout = this.environment.getRequiredProperty("spring.lifecycle.timeout-per-shutdown-phase",
				Duration.class);
		assertThat(this.environment.getProperty("server.shutdown")).isEqualTo("graceful");
		// the web server's drain and one more phase (SSE streams, gateway scheduler) may each take the timeout
		for (Duration timeout : List.of(manifestTimeout, appTimeout)) {
			assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + 2 * timeout.toSeconds());
		}
	}

	@Test
	void ingressKeepsServerSentEventsFlowing() {
		Map<String, String> annotations = one(Ingress.class).getMetadata().getAnnotations();
		assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
		assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
			.isGreaterThanOrEqualTo(3600);
		assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout")))
			.isGreaterThanOrEqualTo(3600);
	}

	/**
	 * Every public route (each path of the API description but the sandboxes', each storefront file, the API docs)
	 * matches an Ingress path by Kubernetes' own matching rules, every Ingress path leads to something the app
	 * serves, and every backend is the Service's one port, which leads to the main port: the management port and
	 * what only the kubelet or a test needs stay out.
	 */
	@Test
	void ingressRoutesEveryPublicRouteToTheMainPortAndNeverTheManagementPort() throws IOException {
		List<HTTPIngressPath> paths = one(Ingress.class).getSpec().getRules().get(0).getHttp().getPaths();
		JsonNode docs = new ObjectMapper().readTree(this.clients.anonymous()
			.get("/v3/api-docs")
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		List<String> api = new ArrayList<>();
		docs.path("paths").fieldNames().forEachRemaining(api::add);
		List<String> publicApi = api.stream().filter(path -> !path.startsWith("/sandbox/")).toList();
		assertThat(publicApi).contains("/api/payments/{gateway}/callback", "/api/orders/{id}/events");
		for (String path : publicApi) {
			assertThat(routed(paths, path.replaceAll("\\{[^}]+}", "x"))).as("%s through the Ingress", path).isTrue();
		}

		List<String> storefront = new ArrayList<>(List.of("/"));
		Path statics = Path.of("src/main/resources/static");
		try (Stream<Path> files = Files.walk(statics)) {
			files.filter(Files::isRegularFile)
				.map(file -> "/" + statics.relativize(file).toString().replace('\\', '/'))
				.forEach(storefront::add);
		}
		// Paytm and PayU send the buyer to the callback, which redirects to this page
		assertThat(storefront).contains("/order.html", "/login.html", "/index.html");
		for (String page : storefront) {
			assertThat(routed(paths, page)).as("%s through the Ingress", page).isTrue();
			this.clients.anonymous().get(page).expectStatus().isOk();
		}
		for (String docsPage : List.of("/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html",
				"/webjars/swagger-ui/index.html")) {
			assertThat(routed(paths, docsPage)).as("%s through the Ingress", docsPage).isTrue();
			this.clients.anonymous().get(docsPage).expectStatus().value(status -> assertThat(status).isLessThan(400));
		}

		// no dead Ingress path: each exact one answers, each prefix covers something public
		List<String> everything = new ArrayList<>(publicApi);
		everything.addAll(storefront);
		everything.addAll(List.of("/v3/api-docs", "/webjars/swagger-ui/index.html"));
		for (HTTPIngressPath path : paths) {
			if (path.getPathType().equals("Exact")) {
				this.clients.anonymous().get(path.getPath()).expectStatus().value(status -> assertThat(status)
					.as(path.getPath()).isLessThan(400));
			}
			else {
				assertThat(everything).as("something public under %s", path.getPath())
					.anyMatch(route -> routed(List.of(path), route));
			}
		}

		for (String internal : List.of("/actuator", "/actuator/prometheus", "/actuator/health", "/livez", "/readyz",
				"/sandbox/razorpay/checkout", "/sandbox/paytm/_faults", "/bench/hello", "/apix", "/order.html/x")) {
			assertThat(routed(paths, internal)).as("%s through the Ingress", internal).isFalse();
		}
		Service service = one(Service.class);
		assertThat(paths).allSatisfy(path -> {
			assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
			assertThat(path.getBackend().getService().getPort().getName())
				.isEqualTo(service.getSpec().getPorts().get(0).getName());
		});
		assertThat(service.getSpec().getPorts()).allSatisfy(port -> assertThat(port.getTargetPort().getStrVal())
			.isEqualTo("http"));
	}

	/** Kubernetes' Ingress matching: Exact is equality, Prefix matches whole path elements. */
	private static boolean routed(List<HTTPIngressPath> paths, String path) {
		return paths.stream().anyMatch(rule -> {
			String prefix = rule.getPath();
			if (rule.getPathType().equals("Exact")) {
				return path.equals(prefix);
			}
			String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
			return trimmed.isEmpty() || path.equals(trimmed) || path.startsWith(trimmed + "/");
		});
	}

	@Test
	void networkPolicyAdmitsTheIngressControllerAndPrometheusAndLetsAtlasAndTheGatewaysOut() {
		NetworkPolicy policy = one(NetworkPolicy.class);
		assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat(policy.getSpec().getIngress()).hasSize(2);
		assertThat(ingressRule("ingress-nginx").getPorts()).singleElement()
			.satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(containerPort("http")));
		assertThat(ingressRule("monitoring").getPorts()).singleElement()
			.satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(containerPort("management")));
		List<String> egress = policy.getSpec()
			.getEgress()
			.stream()
			.flatMap(rule -> rule.getPorts().stream())
			.map(NetworkPolicyPort::getPort)
			.map(port -> port.getIntVal() + "")
			.toList();
		assertThat(egress).contains("53", "443", "27017");
	}

	/** The NetworkPolicy's one ingress rule for the namespace {@code namespace}, which it names alone. */
	private static NetworkPolicyIngressRule ingressRule(String namespace) {
		List<NetworkPolicyIngressRule> rules = one(NetworkPolicy.class).getSpec()
			.getIngress()
			.stream()
			.filter(rule -> rule.getFrom()
				.stream()
				.anyMatch(peer -> peer.getNamespaceSelector() != null && namespace
					.equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))))
			.toList();
		assertThat(rules).as("ingress rule for namespace %s", namespace).singleElement()
			.satisfies(rule -> assertThat(rule.getFrom()).hasSize(1));
		return rules.get(0);
	}

	private static int containerPort(String name) {
		return container().getPorts()
			.stream()
			.filter(port -> name.equals(port.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container port " + name))
			.getContainerPort();
	}

	private static Deployment deployment() {
		return one(Deployment.class);
	}

	private static Container container() {
		return deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
	}

	private static <T extends HasMetadata> T one(Class<T> type) {
		List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
		assertThat(found).as(type.getSimpleName()).hasSize(1);
		return found.get(0);
	}

	private static Set<String> matches(String text, String regex) {
		Set<String> found = new LinkedHashSet<>();
		Matcher matcher = Pattern.compile(regex).matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

	private static String text(Element root, String... path) {
		Element current = root;
		for (String name : path) {
			Element next = null;
			for (var child = current.getFirstChild(); child != null; child = child.getNextSibling()) {
				if (child instanceof Element element && element.getTagName().equals(name)) {
					next = element;
					break;
				}
			}
			assertThat(next).as("<%s> in <%s>", name, current.getTagName()).isNotNull();
			current = next;
		}
		return current.getTextContent().trim();
	}

}
