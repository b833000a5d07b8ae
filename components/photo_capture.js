// A photo button that shrinks each photo on the phone before it goes up: a 4000 × 3000 camera JPEG of 4 MB
// becomes a 1600 px one of about 120 KB (upright, whatever the camera's orientation tag said), which crosses a
// 750 kbit/s uplink in under 2 s instead of a minute. Progress shows on the button's own item; a failed upload
// keeps the shrunk photo for 重试. The server's pipeline still checks, strips and stamps every photo.
const MAX_SIDE = 1600;
// 750 kbit/s is ~92 KB/s: every 10 KB sent is a tenth of a second. A 1600 px photo scaled down smoothly and encoded
// at quality 0.65 is 100–130 KB; the server re-encodes it at its own size anyway. A busy photo over the limit is
// encoded once more, lower.
const QUALITY = 0.65;
const LOWER = 0.5;
const TARGET_BYTES = 160 * 1024;

// Where the time goes (read by bench.photo_upload): performance marks ac-photo-chosen, -shrunk, -sent, -uploaded.
const mark = (name) => performance.mark && performance.mark("ac-photo-" + name);

function opened(url) {
  // an <img> reads the picture's size as shown (its orientation tag applied) from its header; it decodes only when
  // drawn, so this costs milliseconds where decoding 12 megapixels costs most of a second
  const img = new Image();
  return new Promise((loaded, failed) => {
    img.onload = () => loaded(img);
    img.onerror = failed;
    img.src = url;
  });
}

async function shrink(file) {
  const url = URL.createObjectURL(file);
  try {
    const img = await opened(url);
    const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
    if (scale === 1 && file.size <= TARGET_BYTES && file.type === "image/jpeg") return file;
    const [width, height] = [Math.round(img.naturalWidth * scale), Math.round(img.naturalHeight * scale)];
    let source = img; // drawn upright by the browser itself (image-orientation: from-image)
    try {
      // one step decodes, turns upright and scales down, off the page's thread, with no full-size canvas; given the
      // width only, the bitmap's height shows whether this browser applied the orientation tag
      const bitmap = await createImageBitmap(file, {
        imageOrientation: "from-image",
        resizeWidth: width,
        resizeQuality: "medium",
      });
      if (Math.abs(bitmap.height - height) <= 1) source = bitmap;
      else bitmap.close(); // the tag ignored: the <img> has it right
    } catch (e) {}
    const canvas = window.OffscreenCanvas ? new OffscreenCanvas(width, height) : document.createElement("canvas");
    [canvas.width, canvas.height] = [width, height];
    canvas.getContext("2d").drawImage(source, 0, 0, width, height);
    if (source.close) source.close();
    const encode = (quality) =>
      canvas.convertToBlob
        ? canvas.convertToBlob({ type: "image/jpeg", quality })
        : new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    let blob = await encode(QUALITY);
    if (blob && blob.size > TARGET_BYTES) blob = await encode(LOWER);
    if (!blob) return file;
    return new File([blob], (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
  } catch (e) {
    return file; // not a picture this browser reads: the server says what is wrong with it
  } finally {
    URL.revokeObjectURL(url);
  }
}

export default {
  props: {
    url: String,
    label: String,
    camera: Boolean,
    quiet: Boolean,
    icon: String,
    texts: Object, // {shrinking, uploading, processing, failed, retry}
  },
  data() {
    return { jobs: [], next: 0 };
  },
  methods: {
    choose() {
      this.$refs.input.click();
    },
    async chosen(event) {
      const files = Array.from(event.target.files || []);
      event.target.value = ""; // the same photo may be chosen again
      for (const file of files) {
        mark("chosen");
        this.jobs.push({ id: ++this.next, state: "shrinking", progress: 0, file: null });
        const job = this.jobs[this.jobs.length - 1]; // the reactive one: its changes redraw the progress
        job.file = await shrink(file);
        mark("shrunk");
        this.send(job);
      }
    },
    send(job) {
      job.state = "uploading";
      job.progress = 0;
      const form = new FormData();
      form.append("file", job.file, job.file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", (this.url.startsWith("/") ? window.path_prefix || "" : "") + this.url);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) job.progress = e.loaded / e.total;
      };
      xhr.onload = () => {
        mark("uploaded");
        if (xhr.status >= 200 && xhr.status < 300) {
          job.state = "processing"; // the page redraws the item when the server has stored the photo
          job.progress = 1;
          setTimeout(() => (this.jobs = this.jobs.filter((j) => j !== job)), 8000);
        } else {
          job.state = "failed";
        }
      };
      xhr.onerror = () => (job.state = "failed");
      mark("sent");
      xhr.send(form);
    },
    text(job) {
      if (job.state === "uploading") return this.texts.uploading.replace("{p}", Math.round(job.progress * 100));
      return this.texts[job.state];
    },
    drop(job) {
      this.jobs = this.jobs.filter((j) => j !== job);
    },
  },
  template: `
    <div class="nicegui-column w-full gap-1 ac-photo-capture">
      <input ref="input" type="file" accept="image/*" multiple class="hidden" :capture="camera ? 'environment' : null"
        @change="chosen" />
      <q-btn :icon="icon" :label="label" no-caps class="w-full ac-capture-btn" :class="quiet ? 'ac-quiet-btn' : ''"
        :outline="quiet" :unelevated="!quiet" :color="quiet ? 'grey-8' : 'teal-8'" @click="choose" />
      <div v-for="job in jobs" :key="job.id" class="nicegui-column w-full gap-1 ac-upload-job"
        :data-state="job.state">
        <div class="nicegui-row w-full items-center no-wrap gap-2">
          <div class="text-sm flex-1" :class="job.state === 'failed' ? 'text-red-800' : 'ac-muted'">{{ text(job) }}</div>
          <q-btn v-if="job.state === 'failed'" :label="texts.retry" no-caps unelevated color="red-8"
            class="ac-retry" @click="send(job)" />
          <q-btn v-if="job.state === 'failed'" icon="close" flat round color="grey-8" :aria-label="texts.drop"
            @click="drop(job)" />
        </div>
        <q-linear-progress :value="job.progress" :indeterminate="job.state === 'shrinking' || job.state === 'processing'"
          :color="job.state === 'failed' ? 'red-7' : 'teal-7'" size="6px" rounded />
      </div>
    </div>
  `,
};
