package dev.heinit.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The program's PNG charts: {@code compare}'s training loss vs iteration and test accuracy vs epoch (one line per
 * run), and per-layer values on a log axis ({@code signal --png}).
 */
public final class Charts {

    /** File name of the loss chart. */
    public static final String LOSS_PNG = "loss.png";
    /** File name of the accuracy chart. */
    public static final String ACCURACY_PNG = "accuracy.png";

    static {
        // ImageIO's file cache registers a JVM shutdown hook on first use, which fails when the charts are written
        // from compare's own shutdown hook (Ctrl-C); an in-memory cache has no hook.
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Charts() {}

    /**
     * Writes both charts into {@code dir}. A series is named by init, plus activation, depth and seed when the rows
     * hold more than one of them.
     */
    public static void write(List<MetricsRow> rows, Path dir, String title) throws IOException {
        write(rows, dir, title, "");
    }

    /** {@link #write(List, Path, String)} to {@code <prefix>loss.png} and {@code <prefix>accuracy.png}. */
    public static void write(List<MetricsRow> rows, Path dir, String title, String prefix) throws IOException {
        boolean manyActs = rows.stream().map(MetricsRow::activation).distinct().count() > 1;
        boolean manyDepths = rows.stream().map(MetricsRow::depth).distinct().count() > 1;
        boolean manySeeds = rows.stream().map(MetricsRow::seed).distinct().count() > 1;
        Function<MetricsRow, String> name = r -> r.init()
                + (manyActs ? " " + r.activation() : "")
                + (manyDepths ? " d" + r.depth() : "")
                + (manySeeds ? " s" + r.seed() : "");
        Map<String, List<MetricsRow>> byRun = new LinkedHashMap<>();
        for (MetricsRow r : rows) {
            byRun.computeIfAbsent(name.apply(r), k -> new ArrayList<>()).add(r);
        }

        XYChart loss = chart("Training loss — " + title, "iteration", "training loss (mean over logging window)");
        XYChart acc = chart("Test accuracy — " + title, "epoch", "test accuracy");
        for (Map.Entry<String, List<MetricsRow>> e : byRun.entrySet()) {
            List<Double> xi = new ArrayList<>();
            List<Double> yl = new ArrayList<>();
            List<Double> xe = new ArrayList<>();
            List<Double> ya = new ArrayList<>();
            for (MetricsRow r : e.getValue()) {
                if (Double.isFinite(r.trainLoss())) {
                    xi.add((double) r.iteration());
                    yl.add(r.trainLoss());
                }
                if (!Double.isNaN(r.testAccuracy())) {
                    xe.add((double) r.epoch());
                    ya.add(r.testAccuracy());
                }
            }
            if (!xi.isEmpty()) {
                XYSeries s = loss.addSeries(e.getKey(), xi, yl);
                s.setMarker(SeriesMarkers.NONE);
            }
            if (!xe.isEmpty()) {
                acc.addSeries(e.getKey(), xe, ya);
            }
        }
        acc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        if (loss.getSeriesMap().isEmpty()) {
            loss.addSeries("no finite loss", new double[] {0}, new double[] {0});
        }
        if (acc.getSeriesMap().isEmpty()) {
            acc.addSeries("no completed epoch", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(loss, dir.resolve(prefix + LOSS_PNG).toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(acc, dir.resolve(prefix + ACCURACY_PNG).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * One PNG chart of per-layer values on a log axis (x = layer 1, 2, …), a line per series; values that are not
     * positive and finite are left out (a log axis cannot show them).
     *
     * @param file a .png path ({@code .png} is added if missing)
     */
    public static void perLayerLog(Path file, String title, String yTitle, Map<String, double[]> series)
            throws IOException {
        XYChart c = chart(title, "layer", yTitle);
        c.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                if (v[i] > 0 && Double.isFinite(v[i])) {
                    x.add(i + 1.0);
                    y.add(v[i]);
                }
            }
            if (!x.isEmpty()) {
                c.addSeries(e.getKey(), x, y);
            }
        }
        if (c.getSeriesMap().isEmpty()) {
            c.addSeries("no positive finite value", new double[] {1}, new double[] {1});
        }
        String name = file.toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(c, base, BitmapEncoder.BitmapFormat.PNG);
    }

    /** An empty 900×560 chart: every chart of the program has the same size. */
    private static XYChart chart(String title, String xTitle, String yTitle) {
        return new XYChartBuilder()
                .width(900)
                .height(560)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
    }
}
