package dev.heinit.examples.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import dev.heinit.examples.train.MetricsRow;

/** The two PNG charts of {@code compare}: training loss vs iteration and test accuracy vs epoch, one line per run. */
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
     * Writes both charts into {@code dir}. A series is named by init, plus depth and seed when the rows hold
     * more than one of them.
     */
    public static void write(List<MetricsRow> rows, Path dir, String title) throws IOException {
        boolean manyDepths = rows.stream().map(MetricsRow::depth).distinct().count() > 1;
        boolean manySeeds = rows.stream().map(MetricsRow::seed).distinct().count() > 1;
        Function<MetricsRow, String> name =
                r -> r.init() + (manyDepths ? " d" + r.depth() : "") + (manySeeds ? " s" + r.seed() : "");
        Map<String, List<MetricsRow>> byRun = new LinkedHashMap<>();
        for (MetricsRow r : rows) {
            byRun.computeIfAbsent(name.apply(r), k -> new ArrayList<>()).add(r);
        }

        XYChart loss = new XYChartBuilder()
                .width(900)
                .height(560)
                .title("Training loss — " + title)
                .xAxisTitle("iteration")
                .yAxisTitle("training loss (mean over logging window)")
                .build();
        XYChart acc = new XYChartBuilder()
                .width(900)
                .height(560)
                .title("Test accuracy — " + title)
                .xAxisTitle("epoch")
                .yAxisTitle("test accuracy")
                .build();
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
        BitmapEncoder.saveBitmap(loss, dir.resolve(LOSS_PNG).toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(acc, dir.resolve(ACCURACY_PNG).toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
