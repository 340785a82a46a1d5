// Bundled fonts, so every script in the sample corpus renders without tofu on
// any machine, offline. Each file declares its faces with unicode-range, so a
// face is only downloaded once a character it covers is on screen.
import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/600.css';
import '@fontsource/noto-sans-ethiopic/400.css';
import '@fontsource/noto-sans-arabic/400.css';
import '@fontsource/noto-sans-hebrew/400.css';
import '@fontsource/noto-sans-thaana/400.css';
import '@fontsource/noto-sans-nko/400.css';
import '@fontsource/noto-sans-thai/400.css';
import '@fontsource/noto-sans-khmer/400.css';
import '@fontsource/noto-sans-sc/400.css';
