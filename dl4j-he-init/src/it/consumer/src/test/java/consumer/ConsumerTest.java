package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.activation.GELU;
import dev.heinit.config.HeConfigurer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a user of the published library does, from outside the repository, against the jar and POM that were
 * installed: build, initialize, check a weight's scale, save and restore; and what the published POM and jar
 * must not contain.
 */
class ConsumerTest {

    private static final int WIDTH = 256;

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(WIDTH).nOut(WIDTH).activation(Activation.RELU)
                        .weightInit(HeInit.normal()).build())
                .layer(new DenseLayer.Builder().nIn(WIDTH).nOut(WIDTH).activation(GELU.exact())
                        .weightInit(HeInit.normal().nonlinearity(Nonlinearity.leakyRelu(0.1))).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    private static double std(INDArray w) {
        double[] v = w.castTo(DataType.DOUBLE).dup().reshape(w.length()).toDoubleVector();
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length);
    }

    /**
     * A 256×256 draw estimates its std with relative standard error 1/√(2·65536) = 0.28 %: 1.5 % is over 5σ.
     */
    private static void assertStd(double want, INDArray w, String what) {
        assertEquals(want, std(w), 0.015 * want, what);
    }

    @Test
    void heInitAndHeConfigurerInitializeAndRoundTripThroughModelSerializer() throws IOException {
        MultiLayerNetwork direct = new MultiLayerNetwork(conf());
        direct.init();
        assertStd(Math.sqrt(2.0 / WIDTH), direct.getParam("0_W"), "HeInit.normal(): N(0, 2/fan_in)");

        MultiLayerNetwork configured = new MultiLayerNetwork(HeConfigurer.apply(conf()));
        configured.init();
        // Layer 1 is fed by ReLU: gain √2 whatever its own init said.
        assertStd(Math.sqrt(2.0 / WIDTH), configured.getParam("1_W"), "HeConfigurer, layer fed by ReLU");

        File file = new File(System.getProperty("work.dir"), "consumer-model.zip");
        ModelSerializer.writeModel(configured, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(configured.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        for (int i = 0; i < 2; i++) {
            BaseLayer layer = (BaseLayer) restored.getLayerWiseConfigurations().getConf(i).getLayer();
            assertEquals("dev.heinit.config.TrueFanInit", layer.getWeightInitFn().getClass().getName());
        }
        assertEquals(GELU.exact(), ((BaseLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer())
                .getActivationFn());
        assertEquals(configured.params(), restored.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, WIDTH);
        assertEquals(configured.output(x), restored.output(x));

        // A fresh init from the restored configuration draws the same scale: the init itself deserialized.
        MultiLayerNetwork reinit = new MultiLayerNetwork(restored.getLayerWiseConfigurations().clone());
        reinit.init();
        assertStd(Math.sqrt(2.0 / WIDTH), reinit.getParam("1_W"), "re-initialized from the restored configuration");
    }

    @Test
    void publishedPomDependsOnDeeplearning4jNnOnly() throws Exception {
        File pom = new File(System.getProperty("library.pom"));
        assertTrue(pom.isFile(), "installed POM not found: " + pom);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom);
        Element project = doc.getDocumentElement();
        assertEquals(0, children(project, "parent").size(), "the published POM stands alone (no parent to resolve)");
        List<String> deps = new ArrayList<>();
        for (Element section : children(project, "dependencies")) {
            for (Element d : children(section, "dependency")) {
                String scope = text(d, "scope");
                String optional = text(d, "optional");
                deps.add(text(d, "groupId") + ":" + text(d, "artifactId")
                        + (scope.isEmpty() || scope.equals("compile") ? "" : ":" + scope)
                        + (optional.equals("true") ? ":optional" : ""));
            }
        }
        assertEquals(List.of("org.deeplearning4j:deeplearning4j-nn"), deps,
                "published dependencies (no backend, no test or examples dependency)");
        for (String tag : new String[]{"name", "description", "url", "licenses", "scm", "developers",
                "issueManagement"}) {
            assertEquals(1, children(project, tag).size(), "published POM lacks <" + tag + ">");
        }
        for (String classifier : new String[]{"sources", "javadoc"}) {
            File jar = new File(pom.getParentFile(), pom.getName().replace(".pom", "-" + classifier + ".jar"));
            assertTrue(jar.isFile(), "not installed: " + jar);
        }
    }

    @Test
    void libraryJarHasItsOwnPackagesOnlyAndSplitsNone() throws IOException {
        Path jar = Paths.get(jarOf(HeInit.class));
        assertTrue(jar.toString().endsWith(".jar"), "the library must come from its installed jar, got " + jar);
        Set<String> packages = new TreeSet<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("dev.heinit", j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    packages.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.'));
                }
            }
        }
        assertTrue(packages.contains("dev.heinit.activation"), "packages: " + packages);
        for (String p : packages) {
            assertTrue(p.equals("dev.heinit") || p.startsWith("dev.heinit."), "package outside dev.heinit: " + p);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path other = Paths.get(entry);
            if (other.equals(jar) || !Files.exists(other)) {
                continue;
            }
            for (String p : packagesIn(other)) {
                assertTrue(!packages.contains(p), "package " + p + " is split between " + jar + " and " + other);
            }
        }
    }

    private static String jarOf(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> packagesIn(Path entry) throws IOException {
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> s = Files.walk(entry)) {
                s.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                    Path rel = entry.relativize(f.getParent() == null ? entry : f.getParent());
                    out.add(rel.toString().replace(File.separatorChar, '.'));
                });
            }
            return out;
        }
        try (JarFile j = new JarFile(entry.toFile())) {
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                int slash = n.lastIndexOf('/');
                if (n.endsWith(".class") && slash > 0 && !n.startsWith("META-INF/")) {
                    out.add(n.substring(0, slash).replace('/', '.'));
                }
            }
        }
        return out;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element && ((Element) nodes.item(i)).getTagName().equals(tag)) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? "" : c.get(0).getTextContent().trim();
    }
}
