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
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
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

	@Test
	void probePathsAnswer200OnTheRunningApp() {
		Container container = container();
		List<Probe> probes = List.of(container.getStartupProbe(), container.getLivenessProbe(),
				container.getReadinessProbe());
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
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
		assertThat(container.getPorts()).singleElement().satisfies(port -> {
			assertThat(port.getName()).isEqualTo("http");
			assertThat(port.getContainerPort().toString()).isEqualTo(one(ConfigMap.class).getData().get("PORT"));
		});
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
		Element jib = null;
		var plugins = pom.getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			Element plugin = (Element) plugins.item(i);
			if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
				jib = plugin;
			}
		}
		assertThat(jib).as("jib-maven-plugin in pom.xml").isNotNull();
		Element profile = (Element) jib.getParentNode().getParentNode().getParentNode();
		assertThat(text(profile, "id")).isEqualTo("image");
		assertThat(text(jib, "configuration", "from", "image")).isEqualTo("eclipse-temurin:17-jre");
		assertThat(text(jib, "configuration", "to", "image")).isEqualTo("${image.name}:${project.version}");
		String user = text(jib, "configuration", "container", "user");
		assertThat(text(jib, "configuration", "container", "ports", "port")).isEqualTo("8080");
		String jvmFlags = jib.getElementsByTagName("jvmFlags").item(0).getTextContent();
		assertThat(jvmFlags).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");

		String image = container().getImage();
		assertThat(image.substring(0, image.lastIndexOf(':'))).isEqualTo(imageName);
		assertThat(kustomization.path("images")).anySatisfy(node -> assertThat(node.path("name").asText())
			.isEqualTo(imageName));
		PodSpec pod = deployment().getSpec().getTemplate().getSpec();
		assertThat(user).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext()
			.getRunAsGroup());
	}

	@Test
	void podIsHighlyAvailableAndHardened() {
		Deployment deployment = deployment();
		assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
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
		assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
		assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
		assertThat(one(Namespace.class).getMetadata().getLabels())
			.containsEntry("pod-security.kubernetes.io/enforce", "restricted");

		HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
		assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
		PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
		assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
		Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
		assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
		assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
		Service service = one(Service.class);
		assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
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
	void ingressKeepsServerSentEventsFlowingAndActuatorPrivate() {
		Ingress ingress = one(Ingress.class);
		Map<String, String> annotations = ingress.getMetadata().getAnnotations();
		assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
		assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
			.isGreaterThanOrEqualTo(3600);
		assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout")))
			.isGreaterThanOrEqualTo(3600);
		Service service = one(Service.class);
		var paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
		assertThat(paths).extracting(path -> path.getPath()).contains("/api").noneMatch(p -> p.equals("/")
				|| p.startsWith("/actuator"));
		assertThat(paths).allSatisfy(path -> {
			assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
			assertThat(path.getBackend().getService().getPort().getName())
				.isEqualTo(service.getSpec().getPorts().get(0).getName());
		});
	}

	@Test
	void networkPolicyAdmitsOnlyTheIngressControllerAndLetsAtlasAndRazorpayOut() {
		NetworkPolicy policy = one(NetworkPolicy.class);
		assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
			assertThat(rule.getFrom()).singleElement()
				.satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
					.containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
			assertThat(rule.getPorts()).singleElement()
				.satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(8080));
		});
		List<String> egress = policy.getSpec()
			.getEgress()
			.stream()
			.flatMap(rule -> rule.getPorts().stream())
			.map(NetworkPolicyPort::getPort)
			.map(port -> port.getIntVal() + "")
			.toList();
		assertThat(egress).contains("53", "443", "27017");
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
