// A photo button that shrinks each photo on the phone before it goes up: a 4000 × 3000 camera JPEG of 4 MB
// becomes a 1600 px one of about 300 KB (upright, whatever the camera's orientation tag said), which crosses a
// 750 kbit/s uplink in about 3 s instead of a minute. Progress shows on the button's own item; a failed upload
// keeps the shrunk photo for 重试. The server's pipeline still checks, strips and stamps every photo.
const MAX_SIDE = 1600;
// 750 kbit/s is ~92 KB/s: with the latency and the server's own work, ~160 KB is what fits in 3 s. A 1600 px
// photo at JPEG quality 0.5–0.8 is 120–250 KB; the server re-encodes it at the same size anyway.
const TARGET_BYTES = 160 * 1024;

function toBlob(canvas, quality) {
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

async function decode(file) {
  if (window.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (e) {}
  }
  const url = URL.createObjectURL(file); // an <img> applies the orientation tag itself (image-orientation: from-image)
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function shrink(file) {
  let picture;
  try {
    picture = await decode(file);
  } catch (e) {
    return file; // not a picture this browser reads: the server says what is wrong with it
  }
  const width = picture.naturalWidth || picture.width;
  const height = picture.naturalHeight || picture.height;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  if (scale === 1 && file.size <= TARGET_BYTES && file.type === "image/jpeg") return file;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext("2d").drawImage(picture, 0, 0, canvas.width, canvas.height);
  if (picture.close) picture.close();
  let blob = null;
  for (const quality of [0.8, 0.7, 0.6, 0.5]) {
    blob = await toBlob(canvas, quality);
    if (!blob || blob.size <= TARGET_BYTES) break;
  }
  if (!blob) return file;
  return new File([blob], (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
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
        this.jobs.push({ id: ++this.next, state: "shrinking", progress: 0, file: null });
        const job = this.jobs[this.jobs.length - 1]; // the reactive one: its changes redraw the progress
        job.file = await shrink(file);
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
        if (xhr.status >= 200 && xhr.status < 300) {
          job.state = "processing"; // the page redraws the item when the server has stored the photo
          job.progress = 1;
          setTimeout(() => (this.jobs = this.jobs.filter((j) => j !== job)), 8000);
        } else {
          job.state = "failed";
        }
      };
      xhr.onerror = () => (job.state = "failed");
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
