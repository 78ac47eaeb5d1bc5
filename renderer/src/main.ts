import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { LabApi } from '../../shared/contract/client.js';
import App from './App.vue';
import { withContractChecks } from './api/contractChecks.js';
import { setLabApi } from './api/labApi.js';
import { connectWebLab, webLabUrl } from './api/webLabApi.js';
import { installChartTheme } from './components/charts/chartTheme.js';
import './styles.css';
import './components/jobs/jobs.css';
import './analyses/analyses.css';

declare global {
  interface Window {
    /** Present under Electron, exposed by the preload bridge. */
    lab?: LabApi;
  }
}

setLabApi(withContractChecks(window.lab ?? connectWebLab(webLabUrl(window.location))));
installChartTheme();
createApp(App).use(createPinia()).mount('#app');
