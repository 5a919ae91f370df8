package dev.heinit.examples.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** oneDNN 2.x verbose lines (as ND4J M2.1's oneDNN prints them) are grouped by primitive, pass/layouts and size. */
class OneDnnVerboseTest {

    private static final String CONV = "dnnl_verbose,exec,cpu,convolution,brgconv:avx512_core,forward_inference,"
            + "src_f32::blocked:acdb:f0 wei_f32::blocked:Acdb16a:f0 bia_f32::blocked:a:f0 dst_f32::blocked:acdb:f0,,"
            + "alg:convolution_direct,mb64_ic16oc16_ih4oh4kh3sh1dh0ph1_iw4ow4kw3sw1dw0pw1,0.05";
    private static final String PADDED = "dnnl_verbose,exec,cpu,reorder,jit:uni,undef,"
            + "src_f32::blocked:abcd:f0 dst_f32:p:blocked:aBcd16b:f0,,,64x1x28x28,8.5";
    private static final String REORDER = "dnnl_verbose,exec,cpu,reorder,jit:blk,undef,"
            + "src_f32::blocked:abcd:f0 dst_f32::blocked:acdb:f0,,,64x16x4x4,0.25";

    @Test
    void groupsExecutionsAndIgnoresOtherLines() {
        OneDnnVerbose v = new OneDnnVerbose();
        for (String l : List.of(
                CONV,
                CONV,
                PADDED,
                REORDER,
                REORDER,
                "dnnl_verbose,create:cache_hit,cpu,convolution,x,y,z,,,a,0.003",
                "@@BENCH 1 2 3",
                "dnnl_verbose,exec,cpu,broken")) {
            v.add(l);
        }
        assertEquals(0.05 * 2 + 8.5 + 0.25 * 2, v.totalMillis(), 1e-9);
        List<OneDnnVerbose.Group> g = v.groups();
        assertEquals(3, g.size(), g.toString());
        assertEquals(new OneDnnVerbose.Group("reorder", "abcd -> aBcd16b (padded)", "64x1x28x28", 8.5, 1), g.get(0));
        assertEquals("abcd -> acdb", g.get(1).what());
        assertEquals(2, g.get(1).count());
        assertEquals("forward_inference brgconv:avx512_core", g.get(2).what());
        Map<String, Double> k = v.byKind();
        assertEquals(9.0, k.get("reorder"), 1e-9);
        assertEquals(0.1, k.get("convolution"), 1e-9);
        String t = v.table(2, 2);
        assertTrue(t.contains("| reorder | abcd -> aBcd16b (padded) | 64x1x28x28 | 0.5 | 4.25 |"), t);
        assertTrue(!t.contains("brgconv"), "only the top 2 rows: " + t);
    }
}
